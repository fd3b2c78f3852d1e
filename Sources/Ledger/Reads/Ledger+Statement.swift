import Foundation
import PostgresClient

extension Ledger {
    /// The statement of `account` for `[from, to)`, `limit` lines per page, after `cursor` (a previous page's `nextCursor`).
    public func statement(
        of account: Account, from: Date? = nil, to: Date? = nil, cursor: String? = nil, limit: Int = 100
    ) async throws -> Statement {
        guard (1...1000).contains(limit) else { throw LedgerError(.invalidRequest, "limit must be between 1 and 1000") }
        let afterSequence: Int64 = try cursor.map { cursor -> Int64 in
            guard let sequence = Int64(cursor), sequence >= 0 else {
                throw LedgerError(.invalidRequest, "cursor \"\(cursor)\" is not one this statement gave out")
            }
            return sequence
        } ?? 0
        let currency = account.currency
        let lowest = Date(timeIntervalSince1970: -62_135_596_800)  // 0001-01-01
        let highest = Date(timeIntervalSince1970: 253_402_300_799)  // 9999-12-31
        // One snapshot for opening, lines and closing, so they always add up.
        return try await pool.transaction(isolation: .repeatableRead) { connection in
            func balance(before moment: Date?) throws -> Int64 {
                guard let moment else { return 0 }
                return try connection.query(
                    """
                    SELECT balance_after FROM ledger_postings
                     WHERE account_id = $1::int8 AND posted_at < $2::timestamptz
                     ORDER BY posted_at DESC, account_sequence DESC LIMIT 1
                    """, [.int64(account.id), .date(moment)]
                ).first?.decode("balance_after") ?? 0
            }
            let opening = try balance(before: from)
            let closing: Int64
            if let to {
                closing = try balance(before: to)
            } else {
                closing = try connection.query(
                    "SELECT balance FROM ledger_accounts WHERE id = $1::int8", [.int64(account.id)]
                ).single!.decode("balance")
            }
            let rows = try connection.query(
                """
                SELECT p.account_sequence, p.entry_id, p.posted_at, p.amount, p.balance_after,
                       e.kind, e.reference, e.description, e.recorded_by
                  FROM ledger_postings p JOIN ledger_entries e ON e.id = p.entry_id
                 WHERE p.account_id = $1::int8 AND p.account_sequence > $2::int8
                   AND p.posted_at >= $3::timestamptz AND p.posted_at < $4::timestamptz
                 ORDER BY p.account_sequence
                 LIMIT $5::int8
                """,
                [.int64(account.id), .int64(afterSequence), .date(from ?? lowest), .date(to ?? highest), .int64(Int64(limit + 1))])
            var lines: [Statement.Line] = []
            for row in rows.prefix(limit) {
                lines.append(
                    Statement.Line(
                        sequence: try row.decode("account_sequence"), entryID: try row.decode("entry_id"),
                        postedAt: try row.decode("posted_at"), kind: try row.decode("kind"),
                        reference: try row.decode("reference"), description: try row.decode("description"),
                        recordedBy: try row.decode("recorded_by"), amount: .minor(try row.decode("amount"), currency),
                        balanceAfter: .minor(try row.decode("balance_after"), currency)))
            }
            return Statement(
                account: account, from: from, to: to, openingBalance: .minor(opening, currency),
                closingBalance: .minor(closing, currency), lines: lines,
                nextCursor: rows.count > limit ? lines.last.map { String($0.sequence) } : nil)
        }
    }
}
