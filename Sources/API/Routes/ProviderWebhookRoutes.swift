import Foundation
import HTTPTypes
import Hummingbird
import Payments

/// `POST /api/v1/webhooks/providers/:provider`: a bank (or the sandbox) reports a payment's outcome.
///
/// Signed like merchant requests (`X-Timestamp` ms, `X-Signature: sha256=<hex HMAC-SHA256(secret, timestamp.body)>`)
/// with the provider's own secret, and deduplicated by the provider's `eventId`.
struct ProviderWebhookRoutes: Sendable {
    let confirmation: PaymentConfirmation
    let secrets: [String: String]

    func register(on group: RouterGroup<SatangRequestContext>) {
        group.post("webhooks/providers/:provider") { request, context in try await self.receive(request, context) }
    }

    func receive(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        guard let code = context.parameters.get("provider"),
            let provider = ProviderCode(rawValue: code) ?? ProviderCode(rawValue: code.uppercased()),
            let secret = secrets[provider.rawValue]
        else {
            throw APIError(status: .notFound, errorCode: "UNKNOWN_PROVIDER", message: "no webhook is configured for this provider")
        }
        var request = request
        let body: [UInt8]
        do {
            body = Array(buffer: try await request.collectBody(upTo: 64 * 1024))
        } catch {
            throw APIError(status: .contentTooLarge, errorCode: "PAYLOAD_TOO_LARGE", message: "a webhook body is at most 64 KiB")
        }
        if let refusal = RequestSignature.verify(
            signature: request.headers[MerchantAuthenticationMiddleware.signature],
            timestamp: request.headers[MerchantAuthenticationMiddleware.timestamp], body: body, secret: secret)
        {
            throw APIError(status: .unauthorized, errorCode: refusal == .outsideWindow ? "SIGNATURE_EXPIRED" : "INVALID_SIGNATURE",
                           message: "the webhook signature does not verify with this provider's secret")
        }
        let document = try? JSONParser.parse(body)
        guard case .string(let eventID)? = document?["eventId"], !eventID.isEmpty, eventID.count <= 128,
            case .string(let paymentText)? = document?["paymentId"], let paymentID = UUID(uuidString: paymentText),
            case .string(let status)? = document?["status"]
        else {
            throw APIError(status: .badRequest, errorCode: "VALIDATION_ERROR",
                           message: "a provider webhook needs eventId, paymentId (uuid) and status")
        }
        let outcome: ProviderOutcome
        switch status {
        case "SUCCEEDED":
            if case .string(let payer)? = document?["payerName"] { outcome = .succeeded(payer: payer) } else { outcome = .succeeded(payer: nil) }
        case "FAILED_BUSINESS", "FAILED":
            if case .string(let reason)? = document?["reason"] { outcome = .failed(reason: reason) } else { outcome = .failed(reason: "refused by the provider") }
        default:
            throw APIError(status: .badRequest, errorCode: "VALIDATION_ERROR", message: "status must be SUCCEEDED or FAILED_BUSINESS")
        }
        let result = try await confirmation.confirm(paymentID: paymentID, provider: provider, providerEventID: eventID, outcome: outcome)
        let (httpStatus, word): (HTTPResponse.Status, String) = switch result {
        case .succeeded: (.ok, "succeeded")
        case .failed: (.ok, "failed")
        case .duplicateEvent: (.ok, "duplicate")
        case .lateSuccess: (.ok, "late_success_recorded")
        case .notPending(let current) where !current.isTerminal: (.conflict, "not_pending_yet")  // the provider retries
        case .notPending: (.ok, "already_final")
        case .unknownPayment: (.notFound, "unknown_payment")
        }
        let answer = JSONValue.object([("received", .bool(httpStatus != .notFound)), ("result", .string(word))])
        return Response(status: httpStatus, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: answer.serialized)))
    }
}
