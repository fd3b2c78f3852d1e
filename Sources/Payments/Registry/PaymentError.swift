/// Why a payment request was refused; the API maps each to its seed errorCode and HTTP status.
public enum PaymentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Field name → what is wrong with it.
    case validation([String: String])
    case duplicatePayment(sourcePaymentID: String)
    case providerNotConfigured
    case providerNotAllowed(String)
    case unsupportedProvider(String)
    case idempotencyKeyReused
    case idempotencyKeyInUse
    case notFound

    public var description: String {
        switch self {
        case .validation(let problems):
            ValidationProblems.text(problems)
        case .duplicatePayment(let id): "a payment with sourcePaymentId \(id) exists already"
        case .providerNotConfigured: "no provider given and the source has no default provider"
        case .providerNotAllowed(let code): "provider \(code) is not enabled for this source"
        case .unsupportedProvider(let code): "provider \(code) is not one Satang knows (KBANK, SCB, BBL, KTB)"
        case .idempotencyKeyReused: "this idempotency key was used for a different request"
        case .idempotencyKeyInUse: "a request with this idempotency key is still being processed; retry shortly"
        case .notFound: "no such payment"
        }
    }
}
