import Crypto
import Foundation
import Payments

/// Seed 003's integration signature: `X-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>`
/// with `X-Timestamp` in milliseconds, accepted within five minutes of the server's clock.
struct RequestSignature {
    static let window: Double = 5 * 60

    enum Refusal: Equatable {
        case missing, malformed, outsideWindow, mismatch
    }

    /// Checks `signature` over `timestamp.body`; the MAC comparison is constant-time.
    static func verify(
        signature: String?, timestamp: String?, body: [UInt8], secret: String, now: Date = Date()
    ) -> Refusal? {
        guard let signature, let timestamp else { return .missing }
        guard let milliseconds = Int64(timestamp), timestamp.count <= 16 else { return .malformed }
        guard abs(Double(milliseconds) / 1000 - now.timeIntervalSince1970) <= window else { return .outsideWindow }
        guard signature.hasPrefix("sha256="), let mac = hexBytes(signature.dropFirst(7)), mac.count == 32 else {
            return .malformed
        }
        var message = Data(timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message.append(contentsOf: body)
        let key = SymmetricKey(data: Data(secret.utf8))
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: message, using: key) ? nil : .mismatch
    }

    /// The header value a client computes (used by tests and the README's examples).
    static func sign(timestamp: String, body: [UInt8], secret: String) -> String {
        var message = Data(timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.lowercaseHex
    }

    /// Hex digits only (no sign, no spaces: `UInt8(_:radix:)` alone would take "+a"), either case. Read byte by
    /// byte: every provider webhook carries 64 digits, and going through `Character`s cost microseconds each.
    static func hexBytes(_ text: Substring) -> [UInt8]? {
        let digits = text.utf8
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var high: UInt8?
        for digit in digits {
            let value: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = digit - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high {
                bytes.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return bytes
    }
}
