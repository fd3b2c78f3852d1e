import Foundation
import Ledger

/// Money a merchant sends from its available balance to a customer's bank account.
public struct Payout: Sendable {
    public var id: UUID
    /// `PAY` + Unix seconds + 6 characters: seed 001's `txn_id`, seed 000's `order_no`.
    public var reference: String
    public var merchantID: Int64
    /// The merchant's own reference (seed 000's `agent_order_no`), when it gave one.
    public var merchantReference: String?
    public var status: PayoutStatus
    /// Taken from the balance.
    public var amount: Money
    public var fee: Money
    public var feeRate: Percentage
    /// What reaches the customer: amount − fee (seed 000's `transfer_amount`).
    public var transferAmount: Money { Money(minorUnits: amount.minorUnits - fee.minorUnits, currency: amount.currency) }
    /// The bank the money leaves through.
    public var provider: ProviderCode
    public var accountNo: String
    public var accountName: String
    public var bankCode: String
    public var callbackURL: String
    public var bankReference: String?
    public var failureReason: String?
    public var createdAt: Date
    public var completedAt: Date?
}

/// What a merchant asks to pay out, in seed 001's field names (seed 000's are mapped onto them).
public struct PayoutRequest: Sendable {
    public var accountNo: String?
    public var accountName: String?
    public var bankCode: String?
    public var amountText: String?
    public var callbackURL: String?
    /// Seed 000's `agent_order_no`.
    public var merchantReference: String?

    public init(accountNo: String?, accountName: String?, bankCode: String?, amountText: String?, callbackURL: String?,
                merchantReference: String? = nil) {
        self.accountNo = accountNo
        self.accountName = accountName
        self.bankCode = bankCode
        self.amountText = amountText
        self.callbackURL = callbackURL
        self.merchantReference = merchantReference
    }

    /// The same account, name, bank, amount and callback rules as deposits.
    func validated(knownBanks: Set<String>, allowInsecureCallback: Bool) throws(PayoutError) -> ValidatedTransfer {
        let asDeposit = DepositRequest(
            customerAccountNo: accountNo, customerName: accountName, customerBankCode: bankCode, amountText: amountText,
            callbackURL: callbackURL, merchantReference: merchantReference)
        do {
            return try asDeposit.validated(knownBanks: knownBanks, allowInsecureCallback: allowInsecureCallback)
        } catch .validation(let problems) {
            throw .validation(problems)
        } catch {
            throw .validation(["request": "\(error)"])
        }
    }
}

/// Why a payout request was refused.
public enum PayoutError: Error, Sendable, Equatable, CustomStringConvertible {
    case validation([String: String])
    /// The available balance does not cover the amount; nothing was reserved.
    case insufficientBalance(available: Money, requested: Money)
    case duplicateReference(String)
    /// The merchant has no provider to send payouts through.
    case noProvider
    case notFound
    case notCancellable(status: String)

    public var description: String {
        switch self {
        case .validation(let problems):
            ValidationProblems.text(problems)
        case .insufficientBalance(let available, let requested):
            "insufficient balance: \(available) available, \(requested) requested"
        case .duplicateReference(let reference): "agent_order_no already exists: \(reference)"
        case .noProvider: "this merchant has no provider to send payouts through"
        case .notFound: "no such payout"
        case .notCancellable(let status): "only a payout not yet with the bank can be cancelled; this one is \(status)"
        }
    }
}
