import PostgresClient

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

    /// The statuses a payment may move to from this one (the same table as `payment_transition_allowed` in SQL).
    public var allowedNext: Set<PaymentStatus> {
        switch self {
        case .notSent: [.submitting, .expired, .canceled]
        case .submitting: [.pending, .notSent, .failedTechnical, .failedBusiness, .expired]
        case .pending: [.succeeded, .failedBusiness, .failedTechnical, .expired, .canceled]
        case .succeeded, .failedTechnical, .failedBusiness, .expired, .canceled: []
        }
    }
}

/// A change of a payment's status, with who asked for it and why.
public struct PaymentTransition: Sendable, Hashable {
    public var from: PaymentStatus
    public var to: PaymentStatus
    public var actor: String
    public var reason: String

    /// The transition, or `nil` when the lifecycle forbids it.
    public static func transition(from: PaymentStatus, to: PaymentStatus, actor: String, reason: String)
        -> PaymentTransition?
    {
        from.allowedNext.contains(to) ? PaymentTransition(from: from, to: to, actor: actor, reason: reason) : nil
    }
}

extension PaymentStatus: PostgresTextEnum {}
