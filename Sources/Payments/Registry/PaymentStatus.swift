/// Where a payment is in its life (seed 002's provider statuses, plus `CANCELED` for cancelled deposits).
public enum PaymentStatus: String, Sendable, CaseIterable, Codable {
    case notSent = "NOT_SENT"
    case submitting = "SUBMITTING"
    case pending = "PENDING"
    case succeeded = "SUCCEEDED"
    case failedTechnical = "FAILED_TECHNICAL"
    case failedBusiness = "FAILED_BUSINESS"
    case expired = "EXPIRED"
    case canceled = "CANCELED"

    /// Terminal statuses are final.
    public var isTerminal: Bool {
        switch self {
        case .succeeded, .failedTechnical, .failedBusiness, .expired, .canceled: true
        case .notSent, .submitting, .pending: false
        }
    }
}
