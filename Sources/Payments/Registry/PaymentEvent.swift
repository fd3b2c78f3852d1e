import Foundation

/// One recorded transition of a payment: who moved it, when, from where to where, and why.
public struct PaymentEvent: Sendable, Hashable {
    public var id: Int64
    /// `nil` for the registration itself.
    public var from: PaymentStatus?
    public var to: PaymentStatus
    public var actor: String
    public var reason: String
    public var at: Date
}
