import Foundation
import Ledger

/// A gateway deposit: a payment (its status, amount and life) with what the gateway shows about it.
public struct Deposit: Sendable {
    public var paymentID: UUID
    /// `DEP` + Unix seconds + 6 characters: seed 001's `txn_id`, seed 000's `referenceId`.
    public var reference: String
    public var merchantID: Int64
    /// The merchant's own reference (seed 000's `transactionId`), when it gave one.
    public var merchantReference: String?
    public var status: PaymentStatus
    /// What the merchant asked for.
    public var requestedAmount: Money
    /// What the customer must pay: the requested amount, lowered a satang at a time until unique.
    public var amount: Money
    public var fee: Money
    public var feeRate: Percentage
    public var net: Money { Money(minorUnits: amount.minorUnits - fee.minorUnits, currency: amount.currency) }
    public var customerAccountNo: String
    public var customerName: String
    public var customerBankCode: String
    public var receivingAccount: ReceivingAccount
    public var callbackURL: String
    public var channel: String
    public var expiresAt: Date
    public var createdAt: Date
    /// When the deposit was paid (its SUCCEEDED transition).
    public var paidAt: Date?

    /// The PromptPay QR payload for exactly `amount`; `nil` when the receiving account has no PromptPay id.
    public var promptPayPayload: String? {
        receivingAccount.promptPayID.map { PromptPayPayload(recipient: $0, amount: amount).text }
    }
}

extension PaymentStatus {
    /// The word seed 001 shows: `pending`, `paid`, `expired`, `cancelled` or `failed`.
    public var gatewayWord: String {
        switch self {
        case .notSent, .submitting, .pending: "pending"
        case .succeeded: "paid"
        case .expired: "expired"
        case .canceled: "cancelled"
        case .failedBusiness, .failedTechnical: "failed"
        }
    }

    /// The statuses a seed-001 word stands for, for list filters.
    public static func matching(gatewayWord word: String) -> [PaymentStatus]? {
        let matches = allCases.filter { $0.gatewayWord == word }
        return matches.isEmpty ? nil : matches
    }
}
