import Foundation
import Ledger

/// A merchant's request to register a payment, with its fields as received (amount as decimal text).
public struct PaymentRegistration: Sendable {
    public var sourceID: String
    public var sourcePaymentID: String
    public var amountText: String
    public var currency: String
    public var provider: String?
    public var description: String?
    public var metadata: String

    public init(sourceID: String, sourcePaymentID: String, amountText: String, currency: String, provider: String?,
                description: String?, metadata: String) {
        self.sourceID = sourceID
        self.sourcePaymentID = sourcePaymentID
        self.amountText = amountText
        self.currency = currency
        self.provider = provider
        self.description = description
        self.metadata = metadata
    }

    /// Largest amount one payment may carry: 10,000,000.00 in the currency.
    static let maximumMajorUnits: Int64 = 10_000_000

    /// Checks the fields against the merchant's settings; every bad field is named.
    func validated(for merchant: Merchant) throws(PaymentError) -> (ProviderCode, Money) {
        var problems: [String: String] = [:]
        // Counted as the database's CHECKs count (code points), and without what it cannot store: a longer or
        // NUL-holding value would otherwise fail in the INSERT, as a server error instead of this 400.
        if !PlainText.fits(sourcePaymentID, 1...128) { problems["sourcePaymentId"] = "1 to 128 characters, no control characters" }
        if let description, description.unicodeScalars.count > 255 || description.utf8.contains(0) {
            problems["description"] = "at most 255 characters, no NUL"
        }
        var amount: Money?
        // Three uppercase ASCII letters; checked by hand because `range(of:options: .regularExpression)`
        // compiles an ICU pattern on every call, a measurable share of a registration's CPU.
        if currency.utf8.count != 3 || !currency.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) {
            problems["currency"] = "3 uppercase letters, e.g. THB"
        } else if let known = Currency(code: currency) {
            do {
                amount = try Money.parse(
                    amountText, currency: known,
                    maximum: .minor(Self.maximumMajorUnits * known.minorUnitsPerMajor, known))
            } catch {
                problems["amount"] = error.description
            }
        } else {
            problems["currency"] = "\(currency) is not a currency Satang accepts"
        }
        guard problems.isEmpty, let amount else { throw .validation(problems) }
        let provider: ProviderCode
        if let code = self.provider {
            guard let known = ProviderCode(rawValue: code) else { throw .unsupportedProvider(code) }
            guard merchant.providers.contains(known) else { throw .providerNotAllowed(code) }
            provider = known
        } else {
            guard let fallback = merchant.defaultProvider else { throw .providerNotConfigured }
            provider = fallback
        }
        return (provider, amount)
    }
}
