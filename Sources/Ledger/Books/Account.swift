/// An account of a book, with its running totals.
public struct Account: Hashable, Sendable {
    public var id: Int64
    public var bookID: Int64
    public var code: String
    public var type: AccountType
    public var nonNegative: Bool
    /// Debit-positive balance: the sum of the account's postings.
    public var balance: Money
    public var debits: Money
    public var credits: Money

    /// The balance on the account's normal side: what a liability owes is shown positive.
    public var normalBalance: Money { type.isDebitNormal ? balance : balance.negated }
    public var currency: Currency { balance.currency }
}

/// A book: the ledger of one merchant (or of the platform).
public struct Book: Hashable, Sendable {
    public var id: Int64
    public var code: String
    public var name: String
}
