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
        var problems: [String: String] = [:]
        let known = style == .dpay ? Self.dpayFields : Self.seed000Fields
        for name in names.subtracting(known) { problems[name] = "unknown field" }
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
        default: problems["amount"] = "must be a number, e.g. 1000.00"
        }
        switch style {
        case .dpay:
            request = DepositRequest(
                customerAccountNo: text("account_no"), customerName: text("acc_name"), customerBankCode: text("bank_code"),
                amountText: amount, callbackURL: text("callback_url"))
        case .seed000:
            request = DepositRequest(
                customerAccountNo: text("bankAccountNumber"), customerName: text("name"), customerBankCode: text("bankName"),
                amountText: amount, callbackURL: text("callbackUrl"), merchantReference: text("transactionId") ?? "",
                channel: text("type"))
            if values["transactionId"] == nil { problems["transactionId"] = "required" }
        }
        if !problems.isEmpty { throw GatewayErrors.validation(problems) }
    }

    /// A validation error with the field names this request used.
    func renamed(_ error: DepositError) -> DepositError {
        guard style == .seed000, case .validation(let problems) = error else { return error }
        return .validation(Dictionary(problems.map { (Self.seed000Names[$0.key] ?? $0.key, $0.value) }, uniquingKeysWith: { a, _ in a }))
    }
}
