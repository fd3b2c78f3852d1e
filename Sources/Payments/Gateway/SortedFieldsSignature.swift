import Crypto
import Foundation

/// Seed 001's signature: lowercase hex HMAC-SHA256 over `key=value` pairs sorted by key (JavaScript's
/// default sort) and joined with `&`. Used to check requests and to sign deposit and payout callbacks.
public enum SortedFieldsSignature {
    /// How numbers are written in the signed text: as sent, or as JavaScript's `String(number)`.
    public enum NumberForm: Sendable { case asWritten, javaScript }

    public static func canonicalText(_ fields: [(String, JSONValue)], numbers: NumberForm) -> String {
        fields.sorted { $0.0.utf16.lexicographicallyPrecedes($1.0.utf16) }
            .map { "\($0.0)=\(text(of: $0.1, numbers: numbers))" }
            .joined(separator: "&")
    }

    public static func sign(_ fields: [(String, JSONValue)], secret: String, numbers: NumberForm = .javaScript) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data(canonicalText(fields, numbers: numbers).utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return mac.lowercaseHex
    }

    /// A value as JavaScript's template literal writes it.
    private static func text(of value: JSONValue, numbers: NumberForm) -> String {
        switch value {
        case .string(let text): text
        case .number(let text): numbers == .asWritten ? text : JavaScriptNumber.string(text)
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .array(let values): values.map { text(of: $0, numbers: numbers) }.joined(separator: ",")
        case .object: "[object Object]"
        }
    }
}
