import Foundation
import PostgresClient

extension Ledger {
    /// Posts the mirror of entry `entryID` (every line negated), linked to it, with `reason`.
    ///
    /// An entry is reversed at most once: asking again returns the first reversal as a `duplicate`.
    /// A reversal that would take a never-negative account below zero is `rejected`.
    public func reverse(entryID: Int64, reason: String, recordedBy: String = "satang") async throws -> EntryResult {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw LedgerError(.invalidRequest, "a reversal needs a reason")
        }
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await pool.transaction { connection in
                    let request = try Self.reversalRequest(of: entryID, reason: reason, recordedBy: recordedBy, on: connection)
                    return try BatchPoster(connection: connection).post([request])[0]
                }
            } catch is BatchPoster.ConcurrentDuplicate where attempt < 5 {
                continue
            }
        }
    }

    static func reversalRequest(of entryID: Int64, reason: String, recordedBy: String, on connection: PostgresConnection)
        throws -> JournalEntryRequest
    {
        let rows = try connection.query(
            """
            SELECT e.book_id, a.code, p.currency::text AS currency, p.amount
              FROM ledger_entries e
              JOIN ledger_postings p ON p.entry_id = e.id
              JOIN ledger_accounts a ON a.id = p.account_id
             WHERE e.id = $1::int8
             ORDER BY p.line_number
            """, [.int64(entryID)])
        guard let first = rows.first else { throw LedgerError(.unknownEntry, "there is no journal entry \(entryID)") }
        let lines = try rows.map { row -> JournalEntryRequest.Line in
            let currency = try row.decode("currency", as: Currency.self)
            return JournalEntryRequest.Line(try row.decode("code"), .minor(-(try row.decode("amount", as: Int64.self)), currency))
        }
        return JournalEntryRequest(
            bookID: try first.decode("book_id"), kind: "reversal", reference: "entry:\(entryID)", lines: lines,
            description: reason, metadata: "{}", recordedBy: recordedBy, reversesEntryID: entryID)
    }
}
