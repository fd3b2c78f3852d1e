/// The account codes of a merchant's book (ARCHITECTURE.md, "The ledger").
public enum AccountCode {
    /// What is owed to the merchant and may be paid out; never negative.
    public static let merchantAvailable = "merchant:available"
    /// Reserved for payouts not yet finished; never negative.
    public static let payoutsInFlight = "merchant:payouts_in_flight"
    /// Fees earned from this merchant.
    public static let fees = "fees"
    /// Money collected at (or paid out through) a provider, not yet settled.
    public static func provider(_ code: String) -> String { "provider:\(code)" }
}

/// How to open an account: its code, currency, type, and whether it may go negative.
public struct AccountSpec: Hashable, Sendable {
    public var code: String
    public var currency: Currency
    public var type: AccountType
    /// When set, the account's balance on its normal side can never go below zero.
    public var nonNegative: Bool

    public init(code: String, currency: Currency = .thb, type: AccountType, nonNegative: Bool = false) {
        self.code = code
        self.currency = currency
        self.type = type
        self.nonNegative = nonNegative
    }

    /// The merchant chart: available and in-flight (both never negative), fees, and one account per provider.
    public static func merchantChart(providers: [String], currency: Currency = .thb) -> [AccountSpec] {
        [
            AccountSpec(code: AccountCode.merchantAvailable, currency: currency, type: .liability, nonNegative: true),
            AccountSpec(code: AccountCode.payoutsInFlight, currency: currency, type: .liability, nonNegative: true),
            AccountSpec(code: AccountCode.fees, currency: currency, type: .revenue),
        ] + providers.map { AccountSpec(code: AccountCode.provider($0), currency: currency, type: .asset) }
    }
}
