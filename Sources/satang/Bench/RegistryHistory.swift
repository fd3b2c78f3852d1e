import Foundation
import Ledger
import Payments
import PostgresClient

/// The past a registry in use has, written before the payments bench measures: most old payments
/// expired, a quarter succeeded with their ledger entries (through the real poster) and receipts.
///
/// Without it the ledger tables are empty when measuring starts, and plans cached on first use (foreign-key
/// checks, the balance trigger) scan them in full for as long as the run lasts: a fresh database measures
/// plans made for empty tables, not the service.
struct RegistryHistory {
    let merchant: Merchant
    let payments: Int

    private var succeeded: Int { payments / 4 }
    private static let ledgerBatch = 1_000

    func write(on monitor: PostgresPool) async throws {
        guard payments > 0 else { return }
        try await monitor.transaction { connection in
            try connection.query(
                """
                INSERT INTO payments (id, merchant_id, source_payment_id, provider, amount, currency, status, expires_at, created_at)
                SELECT gen_random_uuid(), $1::int8, 'history-' || n, 'KBANK', 10000 + n % 5000, 'THB',
                       CASE WHEN n <= $3::int8 THEN 'SUCCEEDED' ELSE 'EXPIRED' END::payment_status,
                       now() - interval '1 hour', now() - interval '75 minutes'
                  FROM generate_series(1, $2::int8) AS n
                """, [.int64(merchant.id), .int64(Int64(payments)), .int64(Int64(succeeded))])
            try connection.query(
                """
                INSERT INTO payment_events (payment_id, from_status, to_status, actor, reason, at)
                SELECT id, NULL::payment_status, 'NOT_SENT'::payment_status, 'history', 'registered', created_at FROM payments WHERE merchant_id = $1::int8
                UNION ALL
                SELECT id, 'NOT_SENT'::payment_status, status, 'history', 'ended', expires_at FROM payments WHERE merchant_id = $1::int8
                """, [.int64(merchant.id)])
            try connection.query(
                """
                INSERT INTO idempotency_keys (merchant_id, key, fingerprint, response_status, response_body, created_at)
                SELECT merchant_id, source_payment_id, sha256(source_payment_id::bytea), 202, '{}'::bytea, created_at
                  FROM payments WHERE merchant_id = $1::int8
                """, [.int64(merchant.id)])
        }
        try await postLedgerEntries(on: monitor)
        try await issueReceipts(on: monitor)
        try await monitor.withConnection { try $0.executeScript("ANALYZE") }
    }

    /// The succeeded payments' entries, a thousand per transaction, as confirmations post them.
    private func postLedgerEntries(on monitor: PostgresPool) async throws {
        let paid = try await monitor.query(
            "SELECT id, amount FROM payments WHERE merchant_id = $1::int8 AND status = 'SUCCEEDED' ORDER BY id",
            [.int64(merchant.id)]
        ).map { (id: try $0.decode("id", as: UUID.self), amount: Money.minor(try $0.decode("amount", as: Int64.self))) }
        for start in stride(from: 0, to: paid.count, by: Self.ledgerBatch) {
            let entries = try paid[start..<min(start + Self.ledgerBatch, paid.count)].map { payment in
                try MoneyMovement.paymentSucceeded(
                    book: merchant.bookID, paymentID: payment.id.uuidString.lowercased(), provider: "KBANK",
                    gross: payment.amount, fee: merchant.feeRate.of(payment.amount))
            }
            let results = try await monitor.transaction { connection in try Ledger.post(entries, on: connection) }
            guard results.allSatisfy({ $0.postedEntry != nil }) else {
                throw BenchError("the ledger refused part of the bench's history")
            }
        }
    }

    /// Their receipts, numbered from 1 this year (Bangkok time), with the counter where issuing left it.
    private func issueReceipts(on monitor: PostgresPool) async throws {
        try await monitor.transaction { connection in
            try connection.query(
                """
                INSERT INTO receipts (merchant_id, payment_id, year, sequence, number, seller_name, provider, currency, total, base, vat)
                SELECT p.merchant_id, p.id, y.year, p.sequence, 'RC' || y.year || '-' || lpad(p.sequence::text, greatest(6, length(p.sequence::text)), '0'),
                       m.name, p.provider, p.currency, p.amount, round(p.amount * 100 / 107.0), p.amount - round(p.amount * 100 / 107.0)
                  FROM (SELECT *, row_number() OVER (ORDER BY created_at, id) AS sequence
                          FROM payments WHERE merchant_id = $1::int8 AND status = 'SUCCEEDED') AS p
                  JOIN merchants m ON m.id = p.merchant_id,
                       (SELECT extract(year FROM now() AT TIME ZONE 'Asia/Bangkok')::int4 AS year) AS y
                """, [.int64(merchant.id)])
            try connection.query(
                """
                INSERT INTO receipt_counters (merchant_id, year, last_number)
                SELECT merchant_id, year, max(sequence) FROM receipts WHERE merchant_id = $1::int8 GROUP BY merchant_id, year
                """, [.int64(merchant.id)])
        }
    }
}
