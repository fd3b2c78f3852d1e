import Foundation
import Ledger

/// A merchant's request for a deposit, in the field names of seed 001 (seed 000's are mapped onto them).
public struct DepositRequest: Sendable {
    /// The customer's account the money comes from: 10 to 15 digits.
    public var customerAccountNo: String?
    public var customerName: String?
    public var customerBankCode: String?
    /// The amount's text exactly as sent (a JSON number or a string).
    public var amountText: String?
    public var callbackURL: String?
    /// The merchant's own unique reference (seed 000's `transactionId`); seed 001 has none.
    public var merchantReference: String?
    /// `QR` or `BANK_TRANSFER` (seed 000's `type`).
    public var channel: String?

    public init(
        customerAccountNo: String?, customerName: String?, customerBankCode: String?, amountText: String?,
        callbackURL: String?, merchantReference: String? = nil, channel: String? = nil
    ) {
        self.customerAccountNo = customerAccountNo
        self.customerName = customerName
        self.customerBankCode = customerBankCode
        self.amountText = amountText
        self.callbackURL = callbackURL
        self.merchantReference = merchantReference
        self.channel = channel
    }

    /// The smallest and largest deposit seed 001 allows.
    public static let minimum = Money.minor(100)
    public static let maximum = Money.minor(200_000_000)

    /// Every rule of seed 001 at once; `problems` names each bad field in the caller's field names.
    func validated(knownBanks: Set<String>, allowInsecureCallback: Bool) throws(DepositError) -> ValidatedTransfer {
        var problems: [String: String] = [:]
        let accountNo = customerAccountNo ?? ""
        if !PlainText.isDigits(accountNo, 10...15) {
            problems["account_no"] = customerAccountNo == nil ? "required" : "10 to 15 digits"
        }
        let name = (customerName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !PlainText.fits(name, 2...100) { problems["acc_name"] = customerName == nil ? "required" : "2 to 100 characters, no control characters" }
        let bank = customerBankCode ?? ""
        if !knownBanks.contains(bank) {
            problems["bank_code"] = customerBankCode == nil ? "required" : "\(bank) is not a bank code of GET /api/v1/client/banks"
        }
        var amount: Money?
        if let amountText {
            do {
                let parsed = try Money.parse(amountText, currency: .thb, maximum: Self.maximum)
                if parsed.minorUnits < Self.minimum.minorUnits { problems["amount"] = "at least 1.00" } else { amount = parsed }
            } catch {
                problems["amount"] = "a number from 1 to 2,000,000 with at most 2 decimals"
            }
        } else {
            problems["amount"] = "required"
        }
        let callback = callbackURL ?? ""
        let components = URLComponents(string: callback)
        let schemeOK = components?.scheme == "https" || (allowInsecureCallback && components?.scheme == "http")
        if !schemeOK || components?.host?.isEmpty != false || callback.count > 2048 {
            problems["callback_url"] = callbackURL == nil ? "required" : "an https:// URL with a host (at most 2048 characters)"
        }
        if let merchantReference, !PlainText.fits(merchantReference, 1...128) {
            problems["transactionId"] = "1 to 128 characters, no control characters"
        }
        let channel = channel ?? "QR"
        if !["QR", "BANK_TRANSFER"].contains(channel) { problems["type"] = "QR or BANK_TRANSFER" }
        guard problems.isEmpty, let amount else { throw .validation(problems) }
        return ValidatedTransfer(customerAccountNo: accountNo, customerName: name, customerBankCode: bank, amount: amount,
                            callbackURL: callback, merchantReference: merchantReference, channel: channel)
    }
}

/// A deposit or payout request that passed every rule (account, name, bank, amount, callback).
struct ValidatedTransfer: Sendable {
    var customerAccountNo: String
    var customerName: String
    var customerBankCode: String
    var amount: Money
    var callbackURL: String
    var merchantReference: String?
    var channel: String
}
