import Foundation
import Ledger
import PostgresClient
import SatangTestSupport
import Synchronization
import Testing

/// An export reads one snapshot: entries committed while it runs are not in it, whatever their ids, so
/// it never mixes two moments of the books (paging by id alone could skip an entry committed late).
@Suite struct ExportSnapshotTests {
    @Test func anExportShowsTheBooksAsTheyStoodWhenItBegan() async throws {
        try await withLedger("exportsnap") { ledger, pool, database in
            let book = try await merchantBook(ledger)
            for n in 1...3 {
                _ = try await ledger.post(try MoneyMovement.paymentSucceeded(
                    book: book.id, paymentID: "p\(n)", provider: "KBANK", gross: thb("100.00"), fee: thb("1.50")))
            }
            let late = try MoneyMovement.paymentSucceeded(
                book: book.id, paymentID: "p4", provider: "KBANK", gross: thb("100.00"), fee: thb("1.50"))
            var export = LedgerExport(pool: pool)
            export.pageSize = 1
            let text = Mutex("")
            let writes = Mutex(0)
            let configuration = database.configuration
            try await export.write(.beancount, book: book.id) { chunk in
                text.withLock { $0 += chunk }
                // Once the header and the first entry are written, another session posts and commits an entry.
                guard writes.withLock({ count in count += 1; return count }) == 2 else { return }
                let other = try PostgresConnection.connect(configuration)
                defer { other.close() }
                _ = try other.transaction { connection in try Ledger.post([late], on: connection) }
            }
            let exported = text.withLock { $0.components(separatedBy: "satang-entry:").count - 1 }
            let posted: Int = try await pool.query(
                "SELECT count(*) AS n FROM ledger_entries WHERE book_id = $1::int8", [.int64(book.id)]).single!.decode("n")
            #expect(posted == 4, "the late entry was committed during the export")
            #expect(exported == 3, "the export holds the three entries that existed when it began, not the late one")
        }
    }
}
