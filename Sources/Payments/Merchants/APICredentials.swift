import Crypto
import Foundation

/// A merchant's API key and HMAC secret, generated once; only the key's SHA-256 is stored.
public struct APICredentials: Sendable {
    /// Sent in `X-API-Key` on every call.
    public let apiKey: String
    /// Signs requests (`X-Signature`) and is used to sign callbacks to the merchant.
    public let apiSecret: String

    /// Fresh random credentials: 32 bytes each from the system's secure generator.
    public static func generate() -> APICredentials {
        APICredentials(apiKey: "sk_satang_" + randomToken(), apiSecret: "ss_" + randomToken())
    }

    /// The stored form of an API key.
    public static func hash(apiKey: String) -> [UInt8] { Array(SHA256.hash(data: Data(apiKey.utf8))) }

    /// Enough of the key to recognise it in a listing, not enough to use it.
    public static func prefix(of apiKey: String) -> String { String(apiKey.prefix(14)) }

    private static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
