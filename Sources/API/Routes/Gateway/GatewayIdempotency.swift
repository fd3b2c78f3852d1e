import Hummingbird
import Payments

/// The idempotency key of a gateway POST (deposit and payout create).
enum GatewayIdempotency {
    /// `X-Idempotency-Key` (or `Idempotency-Key`), optional on the gateway: seed 001's clients send none.
    /// A retry with the same key and fields gets the stored answer, even when signed again.
    static func request(_ request: Request, body: [UInt8]) throws -> IdempotentRequest? {
        guard let key = request.headers[PaymentRoutes.idempotencyKey] ?? request.headers[PaymentRoutes.standardIdempotencyKey] else {
            return nil
        }
        guard !key.isEmpty, key.count <= 255 else {
            throw GatewayErrors.validation(["X-Idempotency-Key": "1 to 255 characters"])
        }
        // The fingerprint leaves out timestamp and signature, so a retry signed anew is the same request.
        let fields = (try? GatewayAuthenticationMiddleware.fields(of: request, body: body)) ?? []
        let signed = fields.filter { $0.0 != "signature" && $0.0 != "timestamp" }.sorted { $0.0 < $1.0 }
        return IdempotentRequest(key: key, method: "POST", path: request.uri.path, body: Array(JSONValue.object(signed).serialized.utf8))
    }
}
