import Foundation

/// A posted journal entry: its id, time, and each line with the account's balance right after it.
public struct PostedEntry: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public var accountID: Int64
        public var accountCode: String
        public var amount: Money
        /// The account's posting number; statements page by it.
        public var sequence: Int64
        /// The account's debit-positive balance after this line.
        public var balanceAfter: Money
    }

    public var id: Int64
    public var bookID: Int64
    public var kind: String
    public var reference: String
    public var postedAt: Date
    /// Empty for a `duplicate`, whose lines were posted by the original request.
    public var lines: [Line]
}

/// What became of one entry of a batch.
public enum EntryResult: Hashable, Sendable {
    /// Posted now.
    case posted(PostedEntry)
    /// The same book, kind and reference was posted before: this is the original, and nothing was posted again.
    case duplicate(PostedEntry)
    /// Not posted; the rest of the batch was not affected.
    case rejected(EntryRejection)

    public var postedEntry: PostedEntry? {
        if case .posted(let entry) = self { return entry }
        return nil
    }

    public var rejection: EntryRejection? {
        if case .rejected(let rejection) = self { return rejection }
        return nil
    }
}

/// Why an entry was not posted.
public enum EntryRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// A never-negative account would go below zero.
    case insufficientFunds(account: String, available: Money, requested: Money)
    /// No such account in the entry's book (or no such book).
    case unknownAccount(String)
    /// The lines do not sum to zero in this currency.
    case unbalanced(currency: String, difference: Int64)
    /// The account exists, but in another currency.
    case currencyMismatch(account: String, accountCurrency: String, lineCurrency: String)
    /// The request itself is malformed (empty, zero amounts, bad kind, …).
    case invalid(String)

    /// A stable code for APIs and logs.
    public var code: String {
        switch self {
        case .insufficientFunds: "INSUFFICIENT_FUNDS"
        case .unknownAccount: "UNKNOWN_ACCOUNT"
        case .unbalanced: "UNBALANCED"
        case .currencyMismatch: "CURRENCY_MISMATCH"
        case .invalid: "INVALID_ENTRY"
        }
    }

    public var description: String {
        switch self {
        case .insufficientFunds(let account, let available, let requested):
            "insufficient funds in \(account): \(available) available, \(requested) requested"
        case .unknownAccount(let account): "unknown account \(account)"
        case .unbalanced(let currency, let difference):
            "the lines do not balance: \(currency) lines sum to \(difference) minor units, not 0"
        case .currencyMismatch(let account, let accountCurrency, let lineCurrency):
            "account \(account) is in \(accountCurrency), but the line is in \(lineCurrency)"
        case .invalid(let why): why
        }
    }
}
