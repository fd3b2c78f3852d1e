/// An exact amount of money: a whole number of minor units (satang for baht) and its currency.
///
/// Money is never a `Double`. Amounts are parsed from their decimal text and printed back with
/// exactly the currency's decimals.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    /// The amount in minor units; negative amounts exist only as ledger postings (credits).
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// `amount` satang, or cents, … of `currency`.
    public static func minor(_ amount: Int64, _ currency: Currency = .thb) -> Money {
        Money(minorUnits: amount, currency: currency)
    }

    public static func zero(_ currency: Currency = .thb) -> Money { Money(minorUnits: 0, currency: currency) }

    public var isPositive: Bool { minorUnits > 0 }

    /// `1000.50` for 100050 satang: exactly the currency's decimals, no grouping, `-` for negatives.
    public var decimalText: String {
        let decimals = currency.decimals
        let magnitude = minorUnits.magnitude
        let per = UInt64(currency.minorUnitsPerMajor)
        let whole = magnitude / per
        var text = (minorUnits < 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let fraction = String(magnitude % per)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    /// `1000.50 THB`
    public var description: String { "\(decimalText) \(currency.code)" }

    /// The sum, or `nil` on a currency mismatch or overflow.
    public func adding(_ other: Money) -> Money? {
        guard other.currency == currency else { return nil }
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        return overflow ? nil : Money(minorUnits: sum, currency: currency)
    }

    /// The difference, or `nil` on a currency mismatch or overflow.
    public func subtracting(_ other: Money) -> Money? {
        guard other.currency == currency else { return nil }
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        return overflow ? nil : Money(minorUnits: difference, currency: currency)
    }

    public var negated: Money { Money(minorUnits: -minorUnits, currency: currency) }
}
