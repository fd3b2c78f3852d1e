import Crypto
import Foundation
import Payments

/// The two request signatures of the gateway seeds, told apart by their shape:
///
/// - seed 000: a JWT (HS256) whose claims are the request's other fields sorted by key, signed with the
///   API key as that seed's sample does (the API secret is accepted too);
/// - seed 001: lowercase hex HMAC-SHA256, keyed with the API secret, over `key=value` pairs of the other
///   fields sorted by key and joined with `&`.
///
/// A number may be signed in the text it was sent in (`1000.00`) or in JavaScript's `String(number)` form
/// (`1000`), which is what the seeds' JavaScript samples produce.
enum GatewaySignature {
    enum Refusal: Equatable, CustomStringConvertible {
        case malformed
        case jwtAlgorithm(String)
        case jwtMismatch
        case jwtClaims(String)
        case hmacMismatch

        var description: String {
            switch self {
            case .malformed:
                "signature is neither a JWT (header.payload.signature) nor 64 hex digits of HMAC-SHA256"
            case .jwtAlgorithm(let algorithm):
                "the JWT's algorithm is \(algorithm); only HS256 is accepted"
            case .jwtMismatch:
                "the JWT's HS256 signature does not match: sign the sorted fields with your API key"
            case .jwtClaims(let detail):
                "the JWT's claims are not the request's fields: \(detail)"
            case .hmacMismatch:
                "signature does not match HMAC-SHA256(API secret, the other fields as key=value sorted by key, joined with &)"
            }
        }
    }

    /// `nil` when `signature` signs `fields` (the request's fields other than `signature`).
    static func verify(_ signature: String, fields: [(String, JSONValue)], apiKey: String, apiSecret: String) -> Refusal? {
        let parts = signature.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 3 { return verifyJWT(parts, fields: fields, keys: [apiKey, apiSecret]) }
        guard signature.count == 64, let mac = RequestSignature.hexBytes(Substring(signature.lowercased())) else {
            return .malformed
        }
        let key = SymmetricKey(data: Data(apiSecret.utf8))
        for form in [SortedFieldsSignature.NumberForm.asWritten, .javaScript] {
            let text = Data(SortedFieldsSignature.canonicalText(fields, numbers: form).utf8)
            if HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: text, using: key) { return nil }
        }
        return .hmacMismatch
    }

    /// The one spelling of a verified signature kept against replays: hex case and base64 padding bits
    /// are normalised, so the same MAC written another way is still the same signature.
    static func replayKey(_ signature: String) -> String {
        let parts = signature.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let mac = Base64URL.decode(parts[2]) else { return signature.lowercased() }
        return parts[0] + "." + parts[1] + "." + mac.lowercaseHex
    }

    // MARK: JWT (RFC 7519, HS256 only)

    private static func verifyJWT(_ parts: [Substring], fields: [(String, JSONValue)], keys: [String]) -> Refusal? {
        guard let headerBytes = Base64URL.decode(parts[0]), let header = try? JSONParser.parse(headerBytes),
            let payloadBytes = Base64URL.decode(parts[1]), let payload = try? JSONParser.parse(payloadBytes),
            let mac = Base64URL.decode(parts[2])
        else { return .malformed }
        guard case .string(let algorithm)? = header["alg"] else { return .malformed }
        guard algorithm == "HS256" else { return .jwtAlgorithm(algorithm) }
        let signed = Data((parts[0] + "." + parts[1]).utf8)
        guard keys.contains(where: { HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: SymmetricKey(data: Data($0.utf8))) })
        else { return .jwtMismatch }
        guard case .object(let claims) = payload else { return .jwtClaims("the payload is not a JSON object") }
        var expected = Dictionary(fields, uniquingKeysWith: { first, _ in first })
        for (name, claim) in claims {
            guard let sent = expected.removeValue(forKey: name) else { return .jwtClaims("\(name) is signed but not sent") }
            guard sameValue(claim, sent) else { return .jwtClaims("\(name) differs between the token and the request") }
        }
        if let missing = expected.keys.sorted().first { return .jwtClaims("\(missing) is sent but not signed") }
        return nil
    }

    /// Equal JSON values, numbers by their decimal value (`1000` equals `1000.00`).
    private static func sameValue(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): Decimal(string: x) == Decimal(string: y) && Decimal(string: x) != nil
        case (.number(let x), .string(let y)), (.string(let y), .number(let x)): x == y  // a number signed as text
        default: a == b
        }
    }

    /// A compact HS256 JWT over `claims` in the given order (for `POST /api/v1/jwt/create`): numbers in
    /// JavaScript's form, as `jsonwebtoken` writes them.
    static func jwt(_ claims: [(String, JSONValue)], key: String) -> String {
        let header = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let payload = Base64URL.encode(Array(JSONValue.object(claims.map { ($0.0, javaScriptNumbers($0.1)) }).serialized.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data((header + "." + payload).utf8), using: SymmetricKey(data: Data(key.utf8)))
        return header + "." + payload + "." + Base64URL.encode(Array(mac))
    }

    private static func javaScriptNumbers(_ value: JSONValue) -> JSONValue {
        switch value {
        case .number(let text): .number(JavaScriptNumber.string(text))
        case .array(let values): .array(values.map(javaScriptNumbers))
        case .object(let members): .object(members.map { ($0.0, javaScriptNumbers($0.1)) })
        default: value
        }
    }
}

/// Base64 with the URL alphabet and no padding (RFC 4648 §5), as JWTs use it.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: Substring) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !base64.contains("=") else { return nil }
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}
