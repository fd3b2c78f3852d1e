import Foundation
import Ledger
import Payments

/// A payment as the registry API shows it: seed 002's fields plus `status`, `expiresAt` and `createdAt`.
enum PaymentRepresentation {
    static func json(_ payment: Payment) -> JSONValue {
        let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return .object([
            ("id", .string(payment.id.lowercasedText)),
            ("sourcePaymentId", .string(payment.sourcePaymentID)),
            ("provider", .string(payment.provider.rawValue)),
            // The amount as an exact JSON number with the currency's decimals, never via Double.
            ("amount", .number(payment.amount.decimalText)),
            ("currency", .string(payment.amount.currency.code)),
            ("providerStatus", .string(payment.status.rawValue)),
            ("status", .string(payment.status.rawValue)),
            ("description", payment.description.map(JSONValue.string) ?? .null),
            ("metadata", (try? JSONParser.parse(Array(payment.metadata.utf8))) ?? .null),
            ("expiresAt", .string(payment.expiresAt.formatted(time))),
            ("createdAt", .string(payment.createdAt.formatted(time))),
        ])
    }
}
