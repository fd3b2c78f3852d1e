import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Payments
import PostgresClient

/// Authenticates the gateway endpoints of seeds 000 and 001: `X-API-Key`, the merchant's IP allow-list,
/// then either `X-API-Secret` (seed 001) or a `signature` field (JWT or hex HMAC, see `GatewaySignature`)
/// with a `timestamp` within five minutes, each signature accepted once. On a GET the fields are the
/// query parameters. Every refusal says which check failed, in the gateway's error envelope.
struct GatewayAuthenticationMiddleware: RouterMiddleware {
    typealias Context = SatangRequestContext

    let merchants: MerchantRegistry
    let pool: PostgresPool

    static let apiSecret = HTTPField.Name("X-API-Secret")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, try await authenticate(request, context: context))
        } catch let error as APIError {
            throw error.inGatewayEnvelope
        }
    }

    private func authenticate(_ request: Request, context: Context) async throws -> Context {
        guard let key = request.headers[MerchantAuthenticationMiddleware.apiKey], !key.isEmpty,
            let (merchant, secret) = try await merchants.authenticate(apiKey: key)
        else {
            throw APIError(status: .unauthorized, errorCode: "UNAUTHORIZED", message: "Invalid API key",
                           details: ["detail": "X-API-Key is missing, unknown or disabled"])
        }
        guard merchant.allows(address: context.remoteAddress) else {
            throw APIError(status: .forbidden, errorCode: "IP_NOT_ALLOWED", message: "IP not in whitelist",
                           details: ["detail": "\(context.remoteAddress ?? "your address") is not on this merchant's allow-list"])
        }
        var request = request
        var context = context
        do {
            context.rawBody = Array(buffer: try await request.collectBody(upTo: context.maxUploadSize))
        } catch {
            throw APIError(status: .contentTooLarge, errorCode: "PAYLOAD_TOO_LARGE", message: "the body is larger than 1 MiB")
        }
        let fields = try Self.fields(of: request, body: context.rawBody)
        switch fields.first(where: { $0.0 == "merchantId" })?.1 {
        case nil, .null?: break
        case .string(let merchantID)? where merchantID == merchant.code: break
        default:
            throw APIError(status: .forbidden, errorCode: "MERCHANT_MISMATCH", message: "merchantId does not match API key",
                           details: ["detail": "this X-API-Key belongs to merchantId \(merchant.code)"])
        }
        let signature = fields.first { $0.0 == "signature" }?.1
        let headerSecret = request.headers[Self.apiSecret]
        if let headerSecret {
            guard ConstantTime.equal(headerSecret, secret) else {
                throw APIError(status: .unauthorized, errorCode: "UNAUTHORIZED", message: "Invalid API secret: X-API-Secret does not belong to this X-API-Key")
            }
        }
        if let signature {
            // A retry of a signed request under its idempotency key may reuse the signature: the key then
            // answers with the stored response (or refuses), so the retry cannot act twice.
            let retryKey = request.headers[PaymentRoutes.idempotencyKey] ?? request.headers[PaymentRoutes.standardIdempotencyKey]
            try await verify(signature, fields: fields.filter { $0.0 != "signature" }, apiKey: key, secret: secret, merchant: merchant,
                             idempotencyKey: retryKey)
        } else if headerSecret == nil || merchant.requireSignature {
            throw APIError(status: .unauthorized, errorCode: "SIGNATURE_REQUIRED",
                           message: merchant.requireSignature
                               ? "this merchant requires a signature: add signature and timestamp fields"
                               : "send X-API-Secret, or sign the request with signature and timestamp fields")
        }
        context.merchant = merchant
        context.logger[metadataKey: "merchant.code"] = .string(merchant.code)
        return context
    }

    private func verify(
        _ signature: JSONValue, fields: [(String, JSONValue)], apiKey: String, secret: String, merchant: Merchant, idempotencyKey: String?
    ) async throws {
        guard case .string(let token) = signature, !token.isEmpty, token.utf8.count <= 8_192 else {
            throw APIError(status: .badRequest, errorCode: "INVALID_SIGNATURE", message: "Invalid signature: signature must be a non-empty string")
        }
        let timestamp: String?
        switch fields.first(where: { $0.0 == "timestamp" })?.1 {
        case .number(let text)?, .string(let text)?: timestamp = text
        default: timestamp = nil
        }
        guard let timestamp, let value = Double(timestamp), timestamp.allSatisfy(\.isNumber) else {
            throw APIError(status: .badRequest, errorCode: "INVALID_TIMESTAMP",
                           message: "a signed request needs timestamp: Unix time in seconds or milliseconds, digits only")
        }
        let seconds = value > 100_000_000_000 ? value / 1000 : value
        guard abs(seconds - Date().timeIntervalSince1970) <= RequestSignature.window else {
            throw APIError(status: .badRequest, errorCode: "TIMESTAMP_OUT_OF_WINDOW",
                           message: "timestamp is more than 5 minutes away from the server's clock; sign with the current time")
        }
        if let refusal = GatewaySignature.verify(token, fields: fields, apiKey: apiKey, apiSecret: secret) {
            throw APIError(status: .badRequest, errorCode: "INVALID_SIGNATURE", message: "Invalid signature: \(refusal)")
        }
        let fresh = try await pool.query(
            """
            INSERT INTO used_signatures (merchant_id, signature, expires_at)
            VALUES ($1::int8, $2::text, now() + interval '10 minutes')
            ON CONFLICT DO NOTHING RETURNING 1 AS fresh
            """, [.int64(merchant.id), .string(GatewaySignature.replayKey(token))])
        // Reused: still fine for a retry under an idempotency key this merchant already used, which can only
        // replay its stored answer (or be refused as reused or in use); a new key would act again, so not that.
        var knownKey = false
        if fresh.isEmpty, let idempotencyKey {
            knownKey = !(try await pool.query(
                "SELECT 1 FROM idempotency_keys WHERE merchant_id = $1::int8 AND key = $2::text",
                [.int64(merchant.id), .string(idempotencyKey)])).isEmpty
        }
        guard !fresh.isEmpty || knownKey else {
            throw APIError(status: .badRequest, errorCode: "SIGNATURE_REPLAYED",
                           message: "Invalid signature: this signature was already used; sign each request with a new timestamp")
        }
    }

    /// The fields a signature covers: the JSON body's members, or on a bodiless request the query parameters.
    static func fields(of request: Request, body: [UInt8]) throws -> [(String, JSONValue)] {
        if body.contains(where: { !$0.isWhitespace }) {
            guard case .object(let members)? = try? JSONParser.parse(body) else {
                throw APIError(status: .badRequest, errorCode: "VALIDATION_ERROR", message: "the body must be a JSON object")
            }
            return members
        }
        return request.uri.queryParameters.map { (String($0.key), JSONValue.string(String($0.value))) }
    }

}

extension UInt8 {
    fileprivate var isWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}
