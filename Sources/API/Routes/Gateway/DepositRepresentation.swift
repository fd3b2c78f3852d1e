import Foundation
import Ledger
import Payments

/// Deposits as the gateway seeds show them.
enum DepositRepresentation {
    static let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func number(_ money: Money) -> JSONValue { .number(money.decimalText) }

    static func qrcodeURL(_ deposit: Deposit, base: String) -> String { "\(base)/api/v1/deposit/\(deposit.reference)/qrcode.png" }
    static func pageURL(_ deposit: Deposit, base: String) -> String { "\(base)/pay/\(deposit.reference)" }

    /// Seed 001's deposit, with the QR payload, the payment page and the customer's account added.
    static func dpay(_ deposit: Deposit, base: String) -> JSONValue {
        let payload = deposit.promptPayPayload
        return .object([
            ("txn_id", .string(deposit.reference)), ("status", .string(deposit.status.gatewayWord)),
            ("channel", .string(deposit.channel == "BANK_TRANSFER" ? "BANK_TRANSFER" : "QR")),
            ("amount", number(deposit.amount)), ("requested_amount", number(deposit.requestedAmount)),
            ("fee", number(deposit.fee)), ("fee_percent", .number(deposit.feeRate.description)),
            ("net_amount", number(deposit.net)), ("expire_date", .string(deposit.expiresAt.formatted(time))),
            ("qrcode", payload.map(JSONValue.string) ?? .null),
            ("qrcode_url", payload == nil ? .null : .string(qrcodeURL(deposit, base: base))),
            ("url", .string(pageURL(deposit, base: base))),
            ("promptpay_number", deposit.receivingAccount.promptPayID.map { .string($0.description) } ?? .null),
            ("bank_data", .object([
                ("account_no", .string(deposit.receivingAccount.accountNo)),
                ("acc_name", .string(deposit.receivingAccount.accountName)),
                ("bank_code", .string(deposit.receivingAccount.bank.rawValue)),
            ])),
            ("customer_data", .object([
                ("account_no", .string(deposit.customerAccountNo)), ("acc_name", .string(deposit.customerName)),
                ("bank_code", .string(deposit.customerBankCode)),
            ])),
            ("transaction_id", deposit.merchantReference.map(JSONValue.string) ?? .null),
            ("created_at", .string(deposit.createdAt.formatted(time))),
            ("paid_at", deposit.paidAt.map { .string($0.formatted(time)) } ?? .null),
        ])
    }

    /// Seed 000's answer to a deposit created with its field names.
    static func seed000(_ deposit: Deposit, merchant: Merchant, base: String) -> JSONValue {
        .object([
            ("merchantId", .string(merchant.code)), ("referenceId", .string(deposit.reference)),
            ("transactionId", .string(deposit.merchantReference ?? deposit.reference)),
            ("status", .string(deposit.status.gatewayWord)), ("amount", number(deposit.amount)),
            ("depositAmount", number(deposit.amount)), ("requestedAmount", number(deposit.requestedAmount)),
            ("fee", number(deposit.fee)), ("netAmount", number(deposit.net)),
            ("qrcode", deposit.promptPayPayload.map(JSONValue.string) ?? .null),
            ("url", .string(pageURL(deposit, base: base))),
            ("bankAccountNumber", .string(deposit.receivingAccount.accountNo)),
            ("bankAccountName", .string(deposit.receivingAccount.accountName)),
            ("bankName", .string(deposit.receivingAccount.bank.rawValue)),
            ("promptpayNumber", deposit.receivingAccount.promptPayID.map { .string($0.description) } ?? .null),
            ("expireDate", .string(deposit.expiresAt.formatted(time))),
            ("platformBankId", .string(deposit.receivingAccount.id.lowercasedText)),
            ("is_api", .bool(true)),
            ("customerData", .object([
                ("bankAccountNumber", .string(deposit.customerAccountNo)), ("bankName", .string(deposit.customerBankCode)),
                ("name", .string(deposit.customerName)),
            ])),
        ])
    }

    /// The public status: nothing about the customer or the merchant.
    static func publicStatus(_ deposit: Deposit) -> JSONValue {
        .object([("txn_id", .string(deposit.reference)), ("status", .string(deposit.status.gatewayWord)),
                 ("amount", number(deposit.amount)), ("expire_date", .string(deposit.expiresAt.formatted(time)))])
    }
}
