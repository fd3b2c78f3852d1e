import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Payments
import PostgresClient

/// Authenticates every call by `X-API-Key` (from an address on the merchant's allow-list, when it has one), reads the body once (at most 1 MiB), and verifies the
/// seed-003 HMAC signature whenever it is present, or always for merchants that require it.
struct MerchantAuthenticationMiddleware: RouterMiddleware {
    typealias Context = SatangRequestContext

    let merchants: MerchantRegistry
    let pool: PostgresPool

    static let apiKey = HTTPField.Name("X-API-Key")!
    static let timestamp = HTTPField.Name("X-Timestamp")!
    static let signature = HTTPField.Name("X-Signature")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let key = request.headers[Self.apiKey], !key.isEmpty,
            let (merchant, secret) = try await merchants.authenticate(apiKey: key)
        else {
            throw APIError(status: .unauthorized, errorCode: "UNAUTHORIZED", message: "missing, unknown or disabled X-API-Key")
        }
        guard merchant.allows(address: context.remoteAddress) else {
            throw APIError(status: .forbidden, errorCode: "IP_NOT_ALLOWED",
                           message: "IP not in whitelist: \(context.remoteAddress ?? "your address") may not call for this source")
        }
        var request = request
        var context = context
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw APIError(status: .contentTooLarge, errorCode: "PAYLOAD_TOO_LARGE", message: "the body is larger than 1 MiB")
        }
        context.rawBody = Array(buffer: body)
        let signature = request.headers[Self.signature]
        if signature != nil || merchant.requireSignature {
            try await verify(signature: signature, timestamp: request.headers[Self.timestamp], body: context.rawBody,
                             merchant: merchant, secret: secret)
        }
        context.merchant = merchant
        context.logger[metadataKey: "merchant.code"] = .string(merchant.code)
        return try await next(request, context)
    }

    private func verify(signature: String?, timestamp: String?, body: [UInt8], merchant: Merchant, secret: String)
        async throws
    {
        switch RequestSignature.verify(signature: signature, timestamp: timestamp, body: body, secret: secret) {
        case .missing?:
            throw APIError(status: .unauthorized, errorCode: "SIGNATURE_REQUIRED",
                           message: "this source requires X-Timestamp and X-Signature: sha256=<hex HMAC-SHA256(secret, timestamp.body)>")
        case .malformed?:
            throw APIError(status: .unauthorized, errorCode: "INVALID_SIGNATURE",
                           message: "X-Timestamp must be milliseconds and X-Signature sha256=<64 hex digits>")
        case .outsideWindow?:
            throw APIError(status: .unauthorized, errorCode: "SIGNATURE_EXPIRED",
                           message: "X-Timestamp is more than 5 minutes away from the server's clock")
        case .mismatch?:
            throw APIError(status: .unauthorized, errorCode: "INVALID_SIGNATURE",
                           message: "X-Signature does not match HMAC-SHA256(secret, X-Timestamp + \".\" + body)")
        case nil:
            // Accepted once: the same signature again within the window is a replay.
            let fresh = try await pool.query(
                """
                INSERT INTO used_signatures (merchant_id, signature, expires_at)
                VALUES ($1::int8, $2::text, now() + interval '10 minutes')
                ON CONFLICT DO NOTHING RETURNING 1 AS fresh
                """, [.int64(merchant.id), .string(signature!.lowercased())])  // one spelling per MAC
            guard !fresh.isEmpty else {
                throw APIError(status: .unauthorized, errorCode: "SIGNATURE_REPLAYED",
                               message: "this signature was already used; sign each request with a new timestamp")
            }
        }
    }
}
