import Foundation
import PostgresClient

extension Ledger {
    /// The account's debit-positive balance now, or as it stood at `asOf` (after every posting at or
    /// before that moment): one index lookup on the postings' running balance, never a sum over history.
    public func balance(of account: Account, asOf: Date? = nil) async throws -> Money {
        guard let asOf else {
            let row = try await pool.query("SELECT balance FROM ledger_accounts WHERE id = $1::int8", [.int64(account.id)])
            return .minor(try row.single?.decode("balance") ?? 0, account.currency)
        }
        let rows = try await pool.query(
            """
            SELECT balance_after FROM ledger_postings
             WHERE account_id = $1::int8 AND posted_at <= $2::timestamptz
             ORDER BY posted_at DESC, account_sequence DESC
             LIMIT 1
            """, [.int64(account.id), .date(asOf)])
        return .minor(try rows.first?.decode("balance_after") ?? 0, account.currency)
    }
}

