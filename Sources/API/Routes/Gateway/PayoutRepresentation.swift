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

/// Reads a payout request in seed 001's field names (`account_no`, `acc_name`, `bank_code`, `amount`,
/// `callback_url`) or seed 000's (`agent_order_no`, `account_no`, `account_name`, `bank_code`, `amount`,
/// `callback_url`).
struct PayoutRequestBody {
    enum Style { case dpay, seed000 }

    let request: PayoutRequest
    let style: Style

    static let dpayFields: Set<String> = ["account_no", "acc_name", "bank_code", "amount", "callback_url", "signature", "timestamp"]
    static let seed000Fields: Set<String> = [
        "merchantId", "agent_order_no", "account_no", "account_name", "bank_code", "amount", "callback_url", "signature", "timestamp",
    ]

    init(_ fields: [(String, JSONValue)]) throws {
        let names = Set(fields.map(\.0))
        style = names.contains("agent_order_no") || names.contains("account_name") ? .seed000 : .dpay
        var problems: [String: String] = [:]
        for name in names.subtracting(style == .dpay ? Self.dpayFields : Self.seed000Fields) { problems[name] = "unknown field" }
        let values = Dictionary(fields, uniquingKeysWith: { first, _ in first })
        func text(_ name: String) -> String? {
            switch values[name] {
            case .string(let value)?: return value
            case nil, .null?: return nil
            default:
                problems[name] = "must be a string"
                return nil
            }
        }
        var amount: String?
        switch values["amount"] {
        case .number(let value)?: amount = value
        case .string(let value)? where !value.isEmpty && value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }): amount = value
        case nil, .null?: break
        default: problems["amount"] = "must be a number, e.g. 5000.00"
        }
        let name = style == .dpay ? text("acc_name") : text("account_name")
        let reference = style == .seed000 ? text("agent_order_no") : nil
        if style == .seed000, reference == nil, problems["agent_order_no"] == nil { problems["agent_order_no"] = "required" }
        request = PayoutRequest(accountNo: text("account_no"), accountName: name, bankCode: text("bank_code"), amountText: amount,
                                callbackURL: text("callback_url"), merchantReference: reference)
        if !problems.isEmpty { throw GatewayErrors.validation(problems) }
    }

    /// A validation error in the names this request used.
    func renamed(_ error: PayoutError) -> PayoutError {
        guard case .validation(let problems) = error else { return error }
        let names = style == .dpay ? ["transactionId": "agent_order_no"] : ["acc_name": "account_name", "transactionId": "agent_order_no"]
        return .validation(Dictionary(problems.map { (names[$0.key] ?? $0.key, $0.value) }, uniquingKeysWith: { a, _ in a }))
    }
}
