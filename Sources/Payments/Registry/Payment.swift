import Foundation
import Ledger

/// A payment registered by a merchant, as stored.
public struct Payment: Sendable, Hashable {
    public var id: UUID
    public var merchantID: Int64
    public var sourcePaymentID: String
    public var provider: ProviderCode
    public var amount: Money
    public var description: String?
    /// JSON object text, as the merchant sent it.
    public var metadata: String
    public var status: PaymentStatus
    public var expiresAt: Date
    public var createdAt: Date
}
