import Foundation
import PostgresClient

/// An ISO 4217 currency and how many decimal places its minor unit has.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// The three-letter code, e.g. `THB`.
    public let code: String
    /// Decimal places of the minor unit: 2 for baht (satang), 0 for yen.
    public let decimals: Int

    /// The currencies Satang knows; amounts in any other are refused.
    public static let known: [String: Currency] = [
        "THB": Currency(code: "THB", decimals: 2),
        "USD": Currency(code: "USD", decimals: 2),
        "EUR": Currency(code: "EUR", decimals: 2),
        "GBP": Currency(code: "GBP", decimals: 2),
        "SGD": Currency(code: "SGD", decimals: 2),
        "CNY": Currency(code: "CNY", decimals: 2),
        "JPY": Currency(code: "JPY", decimals: 0),
        "KRW": Currency(code: "KRW", decimals: 0),
        "KWD": Currency(code: "KWD", decimals: 3),
    ]

    public static let thb = known["THB"]!

    /// The currency with this code, or `nil` when Satang does not know it.
    public init?(code: String) {
        // The code as written first: upper-casing is Unicode-aware and allocates, and nearly every code is
        // already upper case.
        guard let currency = Self.known[code] ?? Self.known[code.uppercased()] else { return nil }
        self = currency
    }

    private init(code: String, decimals: Int) {
        self.code = code
        self.decimals = decimals
    }

    /// 10^decimals: minor units in one major unit.
    public var minorUnitsPerMajor: Int64 {
        var value: Int64 = 1
        for _ in 0..<decimals { value *= 10 }
        return value
    }

    public var description: String { code }
}

/// A currency column read strictly: a code Satang does not know is a decoding error naming the column,
/// never a silent baht (the database only holds codes of `ledger_currencies`, which Swift must know too).
extension Currency: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { String.accepts(type) }
    public static func decode(text: String, type: PostgresDataType) throws(PostgresDecodableFailure) -> Currency {
        // A `char(3)` column holds the code exactly; trimming (Foundation's, per character) is for anything else.
        guard let currency = Self.known[text] ?? Currency(code: text.trimmingCharacters(in: .whitespaces)) else {
            throw PostgresDecodableFailure("\(text) is not a currency Satang knows")
        }
        return currency
    }
}
