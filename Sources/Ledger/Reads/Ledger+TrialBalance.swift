import Foundation
import PostgresClient

extension Ledger {
    /// The trial balance of one book (or of all books) now, or as of a moment.
    ///
    /// Now, it reads each account's running totals; as of a moment, each account's last posting at or
    /// before it (one index lookup per account), so it never sums history.
    public func trialBalance(book: Int64? = nil, asOf: Date? = nil) async throws -> TrialBalance {
        let rows: PostgresRows
        if let asOf {
            rows = try await pool.query(
                """
                SELECT b.code AS book_code, a.code, a.type::text AS type, a.currency::text AS currency,
                       coalesce(last.debits_after, 0) AS debits, coalesce(last.credits_after, 0) AS credits
                  FROM ledger_accounts a
                  JOIN ledger_books b ON b.id = a.book_id
                  LEFT JOIN LATERAL (
                        SELECT debits_after, credits_after FROM ledger_postings p
                         WHERE p.account_id = a.id AND p.posted_at <= $2::timestamptz
                         ORDER BY p.posted_at DESC, p.account_sequence DESC LIMIT 1) AS last ON true
                 WHERE $1::int8 IS NULL OR a.book_id = $1::int8
                 ORDER BY b.code, a.currency, a.code
                """, [.optional(book, PostgresValue.int64), .date(asOf)])
        } else {
            rows = try await pool.query(
                """
                SELECT b.code AS book_code, a.code, a.type::text AS type, a.currency::text AS currency, a.debits, a.credits
                  FROM ledger_accounts a JOIN ledger_books b ON b.id = a.book_id
                 WHERE $1::int8 IS NULL OR a.book_id = $1::int8
                 ORDER BY b.code, a.currency, a.code
                """, [.optional(book, PostgresValue.int64)])
        }
        let lines = try rows.map { row -> TrialBalance.Line in
            let currency = try row.decode("currency", as: Currency.self)
            let debits: Int64 = try row.decode("debits")
            let credits: Int64 = try row.decode("credits")
            return TrialBalance.Line(
                bookCode: try row.decode("book_code"), accountCode: try row.decode("code"),
                type: AccountType(rawValue: try row.decode("type")) ?? .asset,
                debits: .minor(debits, currency), credits: .minor(credits, currency),
                balance: .minor(debits - credits, currency))
        }
        return TrialBalance(asOf: asOf, lines: lines)
    }
}
