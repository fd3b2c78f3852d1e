import Foundation

/// Per account and currency: total debits, total credits and balance, with per-currency totals that net to zero.
public struct TrialBalance: Sendable {
    public struct Line: Sendable, Hashable {
        public var bookCode: String
        public var accountCode: String
        public var type: AccountType
        public var debits: Money
        public var credits: Money
        /// Debit-positive: debits − credits.
        public var balance: Money
    }

    public struct Total: Sendable, Hashable {
        public var currency: Currency
        public var debits: Money
        public var credits: Money
        /// Debits − credits over every account: zero in a sound ledger.
        public var balance: Money
    }

    public var asOf: Date?
    public var lines: [Line]

    /// One total per currency, in code order.
    public var totals: [Total] {
        var byCurrency: [String: (Currency, Int64, Int64)] = [:]
        for line in lines {
            let current = byCurrency[line.debits.currency.code] ?? (line.debits.currency, 0, 0)
            byCurrency[line.debits.currency.code] =
                (current.0, current.1 + line.debits.minorUnits, current.2 + line.credits.minorUnits)
        }
        return byCurrency.keys.sorted().map { code in
            let (currency, debits, credits) = byCurrency[code]!
            return Total(currency: currency, debits: .minor(debits, currency), credits: .minor(credits, currency),
                         balance: .minor(debits - credits, currency))
        }
    }
}
