import Foundation
import Ledger
import Payments

/// Payouts as the gateway seeds show them.
enum PayoutRepresentation {
    static let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Seed 001's payout, with seed 000's `transfer_amount` and the lifecycle details added.
    static func dpay(_ payout: Payout) -> JSONValue {
        .object([
            ("txn_id", .string(payout.reference)), ("status", .string(payout.status.dpayWord)),
            ("withdrawal_status", .string(payout.status.rawValue)),
            ("amount", .number(payout.amount.decimalText)), ("fee", .number(payout.fee.decimalText)),
            ("fee_percent", .number(payout.feeRate.description)), ("transfer_amount", .number(payout.transferAmount.decimalText)),
            ("customer_data", .object([
                ("account_no", .string(payout.accountNo)), ("acc_name", .string(payout.accountName)), ("bank_code", .string(payout.bankCode)),
            ])),
            ("agent_order_no", payout.merchantReference.map(JSONValue.string) ?? .null),
            ("bank_ref", payout.bankReference.map(JSONValue.string) ?? .null),
            ("failure_reason", payout.failureReason.map(JSONValue.string) ?? .null),
            ("created_at", .string(payout.createdAt.formatted(time))),
            ("completed_at", payout.completedAt.map { .string($0.formatted(time)) } ?? .null),
        ])
    }

    /// Seed 000's withdrawal answer.
    static func seed000(_ payout: Payout) -> JSONValue {
        .object([
            ("order_no", .string(payout.reference)), ("agent_order_no", .string(payout.merchantReference ?? payout.reference)),
            ("amount", .number(payout.amount.decimalText)), ("fee", .number(payout.fee.decimalText)),
            ("transfer_amount", .number(payout.transferAmount.decimalText)), ("status", .string(payout.status.rawValue)),
        ])
    }

    static func publicStatus(_ payout: Payout) -> JSONValue {
        .object([("txn_id", .string(payout.reference)), ("status", .string(payout.status.dpayWord)),
                 ("amount", .number(payout.amount.decimalText))])
    }
}
