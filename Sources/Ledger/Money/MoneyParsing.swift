/// Why a text could not be read as an amount; `description` says how to write it instead.
public enum MoneyParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case notADecimal(String)
    case exponentNotAllowed(String)
    case tooManyDecimals(String, allowed: Int, currency: String)
    case notPositive(String)
    case aboveMaximum(String, maximum: String)
    case outOfRange(String)
    case unknownCurrency(String)

    public var description: String {
        switch self {
        case .empty: "the amount is empty"
        case .notADecimal(let text): "\"\(text)\" is not a decimal amount; write it like 1000 or 1000.50"
        case .exponentNotAllowed(let text): "\"\(text)\" uses an exponent; write the amount out in full, like 1000.50"
        case .tooManyDecimals(let text, let allowed, let currency):
            "\(text) has more than \(allowed) decimal places, which \(currency) does not have"
        case .notPositive(let text): "\(text) must be greater than zero"
        case .aboveMaximum(let text, let maximum): "\(text) is above the maximum of \(maximum)"
        case .outOfRange(let text): "\(text) is too large to be an amount"
        case .unknownCurrency(let code): "\(code) is not a currency Satang knows"
        }
    }
}

extension Money {
    /// Reads decimal text (`1000`, `1000.5`, `999.99`, or a JSON number's own text) exactly, never via `Double`.
    ///
    /// Refuses: more decimals than the currency has (never rounds), exponents, NaN and Infinity, signs
    /// other than a leading `-`, stray characters, values beyond `Int64` minor units, and — when given —
    /// amounts above `maximum` or not above zero when `requirePositive`.
    public static func parse(
        _ text: String,
        currency: Currency = .thb,
        requirePositive: Bool = true,
        maximum: Money? = nil
    ) throws(MoneyParseError) -> Money {
        let minor = try ExactDecimal.parse(text, decimals: currency.decimals, currencyCode: currency.code)
        let money = Money(minorUnits: minor, currency: currency)
        if requirePositive && money.minorUnits <= 0 { throw .notPositive(text) }
        if let maximum, maximum.currency == currency, money.minorUnits > maximum.minorUnits {
            throw .aboveMaximum(text, maximum: maximum.decimalText)
        }
        return money
    }
}

/// Decimal text to a scaled integer, exactly: `12.34` with 2 decimals is 1234.
enum ExactDecimal {
    static func parse(_ text: String, decimals: Int, currencyCode: String) throws(MoneyParseError) -> Int64 {
        guard !text.isEmpty else { throw .empty }
        var bytes = Substring(text).utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        let isDigit = { (byte: UInt8) in byte >= 48 && byte <= 57 }
        if bytes.contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") })
            && bytes.allSatisfy({ isDigit($0) || "eE.+-".utf8.contains($0) })
        {
            throw .exponentNotAllowed(text)
        }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : bytes[bytes.endIndex...]
        guard !whole.isEmpty, whole.allSatisfy(isDigit), fraction.allSatisfy(isDigit),
            parts.count == 1 || !fraction.isEmpty
        else { throw .notADecimal(text) }
        guard fraction.count <= decimals else {
            throw .tooManyDecimals(text, allowed: decimals, currency: currencyCode)
        }
        var value: Int64 = 0
        let digits = Array(whole) + Array(fraction) + Array(repeating: UInt8(ascii: "0"), count: decimals - fraction.count)
        for digit in digits {
            let (shifted, overflowMultiply) = value.multipliedReportingOverflow(by: 10)
            let (added, overflowAdd) = shifted.addingReportingOverflow(Int64(digit - 48))
            guard !overflowMultiply, !overflowAdd else { throw .outOfRange(text) }
            value = added
        }
        return negative ? -value : value
    }
}
