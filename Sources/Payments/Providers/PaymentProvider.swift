/// A bank behind one protocol: the dispatcher submits a payment; the outcome arrives later by webhook.
public protocol PaymentProvider: Sendable {
    /// Hands the payment to the provider. Must be safe to call again for the same payment (a dispatcher
    /// that crashed mid-call submits again), so providers deduplicate by `payment.id`.
    /// Throwing means a technical failure (retried); `.refused` is a business refusal (final).
    func submit(_ payment: Payment) async throws -> SubmissionResult
}

/// A provider's answer to a submission.
public enum SubmissionResult: Sendable, Equatable {
    /// Accepted; the outcome follows by webhook. `reference` is the provider's own id.
    case accepted(reference: String)
    /// Refused for a reason the merchant can read (e.g. no active mandate).
    case refused(reason: String)
}

/// A technical failure talking to a provider; the dispatcher retries it with backoff.
public struct ProviderUnavailable: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
