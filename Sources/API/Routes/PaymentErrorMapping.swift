import HTTPTypes
import Payments

/// The one place payment errors become HTTP statuses and seed 002's errorCodes.
enum PaymentErrorMapping {
    static func apiError(for error: PaymentError) -> APIError {
        switch error {
        case .validation(let problems):
            var details = problems.reduce(into: [String: String]()) { $0["field.\($1.key)"] = $1.value }
            details["fields"] = problems.keys.sorted().joined(separator: ",")
            return APIError(status: .badRequest, errorCode: "VALIDATION_ERROR", message: error.description, details: details)
        case .duplicatePayment:
            return APIError(status: .conflict, errorCode: "DUPLICATE_PAYMENT", message: error.description)
        case .providerNotConfigured:
            return APIError(status: .unprocessableContent, errorCode: "PAYMENT_PROVIDER_NOT_CONFIGURED", message: error.description)
        case .providerNotAllowed:
            return APIError(status: .unprocessableContent, errorCode: "PAYMENT_PROVIDER_NOT_ALLOWED", message: error.description)
        case .unsupportedProvider:
            return APIError(status: .unprocessableContent, errorCode: "UNSUPPORTED_PAYMENT_PROVIDER", message: error.description)
        case .idempotencyKeyReused:
            return APIError(status: .unprocessableContent, errorCode: "IDEMPOTENCY_KEY_REUSED", message: error.description)
        case .idempotencyKeyInUse:
            return APIError(status: .conflict, errorCode: "IDEMPOTENCY_KEY_IN_USE", message: error.description)
        case .notFound:
            return APIError(status: .notFound, errorCode: "PAYMENT_NOT_FOUND", message: "no such payment")
        }
    }

    /// Runs `body`, turning a `PaymentError` into its API error.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PaymentError {
            throw apiError(for: error)
        }
    }
}
