import Foundation
import Ledger

/// A merchant (a "source" in the seeds): its settings, its ledger book, and how it authenticates.
public struct Merchant: Sendable, Hashable {
    public var id: Int64
    public var code: String
    public var name: String
    /// Thai taxpayer id (13 digits), printed on receipts.
    public var taxID: String?
    public var address: String?
    public var providers: [ProviderCode]
    public var defaultProvider: ProviderCode?
    public var feeRate: Percentage
    public var callbackURL: String?
    /// Every call must carry an HMAC signature (seed 003) when set.
    public var requireSignature: Bool
    /// CIDR blocks calls may come from; empty means any address.
    public var allowedIPs: [String]
    /// How long a payment may stay unfinished before it expires.
    public var paymentTimeToLive: Duration
    public var bookID: Int64
    /// The first characters of the API key, so an operator can tell keys apart; the key itself is not kept.
    public var apiKeyPrefix: String
    public var disabledAt: Date?
    public var createdAt: Date

    public var isDisabled: Bool { disabledAt != nil }

    /// Whether a call from `address` is allowed: always when the allow-list is empty.
    public func allows(address: String?) -> Bool {
        guard !allowedIPs.isEmpty else { return true }
        guard let address else { return false }
        return allowedIPs.contains { CIDRBlock.contains($0, address: address) }
    }
}
