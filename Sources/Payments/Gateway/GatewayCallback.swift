import Foundation
import Ledger

/// Seed 001's callbacks: `{"event": "deposit.status_changed" | "payout.status_changed", "data": {…, "signature"}}`,
/// where `signature` is the hex HMAC-SHA256 of the other data fields (sorted `key=value&…`, numbers as
/// JavaScript writes them) keyed with the merchant's API secret. Sent to the URL given with the request.
enum GatewayCallback {
    static let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func payout(_ payout: Payout, secret: String) -> OutboxEvent {
        event("payout.status_changed", merchantID: payout.merchantID, targetURL: payout.callbackURL, secret: secret, data: [
            ("txn_id", .string(payout.reference)), ("status", .string(payout.status.dpayWord)),
            ("amount", .number(payout.amount.decimalText)), ("fee", .number(payout.fee.decimalText)),
            ("bank_ref", payout.bankReference.map(JSONValue.string) ?? .null),
            ("completed_at", payout.completedAt.map { .string($0.formatted(time)) } ?? .null),
        ])
    }

    static func deposit(
        merchantID: Int64, reference: String, status: PaymentStatus, amount: Money, fee: Money, paidAt: Date?,
        callbackURL: String, secret: String
    ) -> OutboxEvent {
        event("deposit.status_changed", merchantID: merchantID, targetURL: callbackURL, secret: secret, data: [
            ("txn_id", .string(reference)), ("status", .string(status.gatewayWord)), ("amount", .number(amount.decimalText)),
            ("fee", .number(fee.decimalText)), ("net_amount", .number(Money.minor(amount.minorUnits - fee.minorUnits).decimalText)),
            ("paid_at", paidAt.map { .string($0.formatted(time)) } ?? .null),
        ])
    }

    private static func event(_ type: String, merchantID: Int64, targetURL: String, secret: String, data: [(String, JSONValue)]) -> OutboxEvent {
        let signed = data + [("signature", .string(SortedFieldsSignature.sign(data, secret: secret)))]
        let payload = JSONValue.object([("event", .string(type)), ("data", .object(signed))]).serialized
        return OutboxEvent(merchantID: merchantID, type: type, payload: payload, targetURL: targetURL)
    }
}
