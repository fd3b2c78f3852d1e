import Payments

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
        var fields = GatewayFields(fields, allowed: style == .dpay ? Self.dpayFields : Self.seed000Fields)
        let name = style == .dpay ? fields.text("acc_name") : fields.text("account_name")
        let reference = style == .seed000 ? fields.text("agent_order_no") : nil
        if style == .seed000, reference == nil { fields.markRequired("agent_order_no") }
        request = PayoutRequest(accountNo: fields.text("account_no"), accountName: name, bankCode: fields.text("bank_code"),
                                amountText: fields.amount(), callbackURL: fields.text("callback_url"), merchantReference: reference)
        try fields.throwIfProblems()
    }

    /// A validation error in the names this request used.
    func renamed(_ error: PayoutError) -> PayoutError {
        guard case .validation(let problems) = error else { return error }
        let names = style == .dpay ? ["transactionId": "agent_order_no"] : ["acc_name": "account_name", "transactionId": "agent_order_no"]
        return .validation(Dictionary(problems.map { (names[$0.key] ?? $0.key, $0.value) }, uniquingKeysWith: { a, _ in a }))
    }
}
