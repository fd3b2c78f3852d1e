import Foundation
import Ledger
import PostgresClient

/// Applies a provider's report to a payment in one transaction: the status change, the ledger entry
/// (gross at the provider, fee earned, net owed to the merchant), the receipt and the outbox event.
public struct PaymentConfirmation: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    public func confirm(
        paymentID: UUID, provider: ProviderCode, providerEventID: String, outcome: ProviderOutcome
    ) async throws -> ConfirmationResult {
        try await pool.transaction { connection in
            try Self.confirm(paymentID: paymentID, provider: provider, providerEventID: providerEventID,
                             outcome: outcome, on: connection)
        }
    }

    static func confirm(
        paymentID: UUID, provider: ProviderCode, providerEventID: String, outcome: ProviderOutcome,
        on connection: PostgresConnection
    ) throws -> ConfirmationResult {
        let fresh = try connection.query(
            """
            INSERT INTO provider_webhook_events (provider, event_id, payment_id) VALUES ($1::text, $2::text, $3::uuid)
            ON CONFLICT DO NOTHING RETURNING 1 AS fresh
            """, [.string(provider.rawValue), .string(providerEventID), .uuid(paymentID)])
        guard !fresh.isEmpty else { return .duplicateEvent }
        let rows = try connection.query(
            """
            SELECT p.status::text AS status, p.provider, p.amount, p.currency::text AS currency, p.description,
                   m.id AS merchant_id, m.name, m.address, m.tax_id, m.fee_ppm, m.book_id
              FROM payments p JOIN merchants m ON m.id = p.merchant_id
             WHERE p.id = $1::uuid AND p.provider = $2::text
               FOR UPDATE OF p
            """, [.uuid(paymentID), .string(provider.rawValue)])
        guard let row = rows.first else { return .unknownPayment }
        let status = PaymentStatus(rawValue: try row.decode("status")) ?? .notSent
        let merchantID: Int64 = try row.decode("merchant_id")
        let currency = Currency(code: try row.decode("currency")) ?? .thb
        let amount = Money.minor(try row.decode("amount"), currency)

        if status == .expired, case .succeeded(let payer) = outcome {
            try connection.query(
                "INSERT INTO reconciliation_exceptions (payment_id, kind, detail) VALUES ($1::uuid, 'late_success', $2::jsonb)",
                [.uuid(paymentID), .json(Self.json(["providerEventId": providerEventID, "payer": payer ?? NSNull(),
                                                    "amount": amount.decimalText, "provider": provider.rawValue]))])
            return .lateSuccess
        }
        guard status == .pending else {
            // Let the provider redeliver once the payment is PENDING; a final payment stays as it is.
            try connection.query(
                "DELETE FROM provider_webhook_events WHERE provider = $1::text AND event_id = $2::text",
                [.string(provider.rawValue), .string(providerEventID)])
            return .notPending(status)
        }

        switch outcome {
        case .failed(let reason):
            try PaymentRegistry.apply(paymentID, to: .failedBusiness, actor: "provider:\(provider.rawValue)",
                                      reason: reason, on: connection)
            return .failed
        case .succeeded(let payer):
            try PaymentRegistry.apply(paymentID, to: .succeeded, actor: "provider:\(provider.rawValue)",
                                      reason: "confirmed by provider event \(providerEventID)", on: connection)
            let fee = Percentage(partsPerMillion: try row.decode("fee_ppm")).of(amount)
            let entry = try MoneyMovement.paymentSucceeded(
                book: try row.decode("book_id"), paymentID: paymentID.uuidString.lowercased(), provider: provider.rawValue,
                gross: amount, fee: fee)
            let posted = try Ledger.post([entry], on: connection)[0]
            guard let ledgerEntry = posted.postedEntry else {
                throw LedgerError(.invalidRequest, "the ledger refused payment \(paymentID): \(posted)")
            }
            let number = try Self.issueReceipt(
                paymentID: paymentID, merchantID: merchantID, row: row, payer: payer, amount: amount,
                provider: provider, on: connection)
            return .succeeded(receiptNumber: number, ledgerEntryID: ledgerEntry.id)
        }
    }

    /// Takes the merchant's next receipt number for the year (Bangkok time) and writes the receipt.
    private static func issueReceipt(
        paymentID: UUID, merchantID: Int64, row: PostgresRow, payer: String?, amount: Money, provider: ProviderCode,
        on connection: PostgresConnection
    ) throws -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        let year = calendar.component(.year, from: Date())
        let sequence: Int = try connection.query(
            """
            INSERT INTO receipt_counters (merchant_id, year, last_number) VALUES ($1::int8, $2::int4, 1)
            ON CONFLICT (merchant_id, year) DO UPDATE SET last_number = receipt_counters.last_number + 1
            RETURNING last_number
            """, [.int64(merchantID), .int32(Int32(year))]
        ).single!.decode("last_number")
        let number = ReceiptNumber(year: year, sequence: sequence).description
        let split = VATSplit(total: amount)
        try connection.query(
            """
            INSERT INTO receipts (merchant_id, payment_id, year, sequence, number, seller_name, seller_address, seller_tax_id,
                                  payer, description, provider, currency, total, base, vat)
            VALUES ($1::int8, $2::uuid, $3::int4, $4::int4, $5::text, $6::text, $7::text, $8::text, $9::text, $10::text,
                    $11::text, $12::text, $13::int8, $14::int8, $15::int8)
            """,
            [.int64(merchantID), .uuid(paymentID), .int32(Int32(year)), .int32(Int32(sequence)), .string(number),
             .string(try row.decode("name")), .optional(try row.decode("address", as: String?.self), PostgresValue.string),
             .optional(try row.decode("tax_id", as: String?.self), PostgresValue.string),
             .optional(payer, PostgresValue.string),
             .optional(try row.decode("description", as: String?.self), PostgresValue.string),
             .string(provider.rawValue), .string(amount.currency.code), .int64(split.total.minorUnits),
             .int64(split.base.minorUnits), .int64(split.vat.minorUnits)])
        return number
    }

    static func json(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
