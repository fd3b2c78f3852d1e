import Payments

/// Reads a deposit request in either gateway's field names: seed 001's (`account_no`, `acc_name`,
/// `bank_code`, `callback_url`) or seed 000's (`transactionId`, `bankAccountNumber`, `name`, `bankName`,
/// `callbackUrl`, `type`). Problems are reported in the names the caller used.
struct DepositRequestBody {
    enum Style { case dpay, seed000 }

    let request: DepositRequest
    let style: Style

    static let dpayFields: Set<String> = ["account_no", "acc_name", "bank_code", "amount", "callback_url", "signature", "timestamp"]
    static let seed000Fields: Set<String> = [
        "merchantId", "transactionId", "bankAccountNumber", "bankName", "name", "amount", "callbackUrl", "type", "signature", "timestamp",
    ]
    /// Seed 001's name → seed 000's, for messages.
    static let seed000Names = [
        "account_no": "bankAccountNumber", "acc_name": "name", "bank_code": "bankName", "callback_url": "callbackUrl",
        "amount": "amount", "type": "type", "transactionId": "transactionId",
    ]

    init(_ fields: [(String, JSONValue)]) throws {
        let names = Set(fields.map(\.0))
        style = names.contains("transactionId") || names.contains("bankAccountNumber") || names.contains("merchantId") ? .seed000 : .dpay
        var fields = GatewayFields(fields, allowed: style == .dpay ? Self.dpayFields : Self.seed000Fields)
        switch style {
        case .dpay:
            request = DepositRequest(
                customerAccountNo: fields.text("account_no"), customerName: fields.text("acc_name"),
                customerBankCode: fields.text("bank_code"), amountText: fields.amount(), callbackURL: fields.text("callback_url"))
        case .seed000:
            let reference = fields.text("transactionId")
            if reference == nil { fields.markRequired("transactionId") }
            request = DepositRequest(
                customerAccountNo: fields.text("bankAccountNumber"), customerName: fields.text("name"),
                customerBankCode: fields.text("bankName"), amountText: fields.amount(), callbackURL: fields.text("callbackUrl"),
                merchantReference: reference ?? "", channel: fields.text("type"))
        }
        try fields.throwIfProblems()
    }

    /// A validation error with the field names this request used.
    func renamed(_ error: DepositError) -> DepositError {
        guard style == .seed000, case .validation(let problems) = error else { return error }
        return .validation(Dictionary(problems.map { (Self.seed000Names[$0.key] ?? $0.key, $0.value) }, uniquingKeysWith: { a, _ in a }))
    }
}
