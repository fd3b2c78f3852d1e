/// Satang's one rounding rule, for fees and VAT: exact integer arithmetic, half up (away from zero) to the minor unit.
public enum Rounding {
    /// `value × numerator ÷ denominator`, rounded half up; `nil` if the result does not fit in `Int64`.
    /// The product is computed at double width, so no intermediate overflow can change the result.
    public static func halfUp(_ value: Int64, times numerator: Int64, dividedBy denominator: Int64) -> Int64? {
        precondition(denominator > 0 && numerator >= 0, "rates are non-negative fractions")
        let negative = value < 0
        let product = value.magnitude.multipliedFullWidth(by: numerator.magnitude)
        let (quotient, remainder) = UInt64(denominator).dividingFullWidth(product)
        var rounded = quotient
        if remainder >= UInt64(denominator) - remainder { rounded += 1 }  // remainder ≥ half
        guard rounded <= UInt64(Int64.max) else { return nil }
        return negative ? -Int64(rounded) : Int64(rounded)
    }
}

/// A percentage such as a fee rate, held exactly as millionths (1.5 % = 15,000 ppm).
public struct Percentage: Hashable, Sendable, CustomStringConvertible {
    /// Parts per million of the whole: 1_000_000 is 100 %.
    public let partsPerMillion: Int64

    public init(partsPerMillion: Int64) {
        precondition(partsPerMillion >= 0, "percentages are not negative")
        self.partsPerMillion = partsPerMillion
    }

    /// Reads a percent such as `1.50` exactly: up to four decimals, from 0 to 100.
    public static func parse(_ text: String) -> Percentage? {
        // With four decimals, the scaled percent is exactly parts per million: 1.5000 % = 15,000 ppm.
        guard let ppm = try? ExactDecimal.parse(text, decimals: 4, currencyCode: "%"), ppm >= 0, ppm <= 1_000_000
        else { return nil }
        return Percentage(partsPerMillion: ppm)
    }

    /// `amount × rate`, half up to the minor unit: the fee on `amount`.
    public func of(_ amount: Money) -> Money {
        Money(minorUnits: Rounding.halfUp(amount.minorUnits, times: partsPerMillion, dividedBy: 1_000_000)!,
              currency: amount.currency)
    }

    /// `1.50` — the percent with up to four decimals, trailing zeros trimmed to two.
    public var description: String {
        let whole = partsPerMillion / 10_000
        var fraction = String(partsPerMillion % 10_000)
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.count > 2, fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }
}

/// Thai VAT on a VAT-inclusive total: base + VAT = total exactly.
public struct VATSplit: Hashable, Sendable {
    public let base: Money
    public let vat: Money
    public let total: Money

    /// Splits `total` at `ratePercent` (7 for Thailand): base = total × 100 ÷ (100 + rate), half up; VAT is the rest.
    public init(total: Money, ratePercent: Int64 = 7) {
        let base = Rounding.halfUp(total.minorUnits, times: 100, dividedBy: 100 + ratePercent)!
        self.total = total
        self.base = Money(minorUnits: base, currency: total.currency)
        self.vat = Money(minorUnits: total.minorUnits - base, currency: total.currency)
    }
}
