import ArgumentParser
import Foundation
import Ledger
import Logging
import PostgresClient

/// `satang bench reports`: report timings on a large ledger (by default 1,000,000 postings over 10,000
/// accounts), against the targets: trial balance of all books < 500 ms, one account's as-of balance
/// < 5 ms, one statement page of 100 entries < 50 ms.
struct ReportsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reports", abstract: "Report timings on a large ledger.")
    @Option(help: "Entries to seed when the bench database is smaller (3 postings each).") var entries: Int = 333_334
    @Option(help: "Books to seed them over (4 accounts each).") var books: Int = 2_500
    @Option(help: "Times each report is run; the median is shown.") var runs: Int = 9
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var logging = self.logging
        if logging.level == "info" { logging.level = "warning" }
        let logger = logging.bootstrap()
        let session = try await DatabaseSession.open(database, logger: logger)
        do {
            let bench = try await BenchDatabase.prepare(session.configuration, name: "satang_bench_reports")
            let pool = PostgresPool(configuration: .init(connection: bench.configuration, size: 9), logger: logger)
            do {
                try await measure(pool, logger: logger)
            } catch {
                await pool.shutdown()
                throw error
            }
            await pool.shutdown()
        } catch {
            await session.close(logger: logger)
            throw error
        }
        await session.close(logger: logger)
    }

    private func measure(_ pool: PostgresPool, logger: Logger) async throws {
        try await MigrationRunner(migrations: Migration.load(from: Migration.defaultDirectory()), logger: logger).run(on: pool)
        let ledger = Ledger(pool: pool, logger: logger)
        var postings: Int = try await pool.query("SELECT count(*) AS n FROM ledger_postings").single!.decode("n")
        if postings < entries * 3 {
            Console.line("seeding \(entries) entries over \(books) books (once; kept in satang_bench_reports)…")
            let started = ContinuousClock.now
            _ = try await LedgerSeeder.seed(ledger, entries: entries, books: books, prefix: "bench")
            try await pool.withConnection { try $0.executeScript("ANALYZE") }
            Console.line(String(format: "seeded in %.1f s", (ContinuousClock.now - started).secondsValue))
            postings = try await pool.query("SELECT count(*) AS n FROM ledger_postings").single!.decode("n")
        }
        let accounts: Int = try await pool.query("SELECT count(*) AS n FROM ledger_accounts").single!.decode("n")
        Console.line("satang bench reports — \(postings) postings over \(accounts) accounts, median of \(runs) runs")
        // A busy account in the middle of the data, and a moment half-way through its history.
        let target = try await pool.query(
            """
            SELECT a.id, b.code, a.last_sequence FROM ledger_accounts a JOIN ledger_books b ON b.id = a.book_id
             WHERE a.code = 'merchant:available' ORDER BY a.last_sequence DESC, a.id LIMIT 1
            """).single!
        let bookCode: String = try target.decode("code")
        let lastSequence: Int64 = try target.decode("last_sequence")
        let book = try await ledger.book(code: bookCode)
        let account = try await ledger.account(book: book.id, code: AccountCode.merchantAvailable)
        let middle: Date = try await pool.query(
            "SELECT posted_at FROM ledger_postings WHERE account_id = $1::int8 ORDER BY account_sequence OFFSET $2::int8 LIMIT 1",
            [.int64(account.id), .int64(lastSequence / 2)]).single!.decode("posted_at")

        let trial = try await median { _ = try await ledger.trialBalance() }
        let trialAsOf = try await median { _ = try await ledger.trialBalance(asOf: middle) }
        let balance = try await median { _ = try await ledger.balance(of: account, asOf: middle) }
        let statement = try await median { _ = try await ledger.statement(of: account, from: nil, to: nil, cursor: "\(lastSequence / 2)", limit: 100) }
        Console.line(String(format: "trial balance, all books, now:           %8.1f ms   (target < 500 ms)", trial))
        Console.line(String(format: "trial balance, all books, as of a moment: %8.1f ms", trialAsOf))
        Console.line(String(format: "one account's balance as of a moment:     %8.2f ms   (target < 5 ms)", balance))
        Console.line(String(format: "statement page of 100 entries:            %8.2f ms   (target < 50 ms)", statement))
    }

    /// Milliseconds, the median of `runs` runs after one warm-up.
    private func median(_ body: () async throws -> Void) async throws -> Double {
        try await body()
        var times: [Double] = []
        for _ in 0..<runs {
            let started = ContinuousClock.now
            try await body()
            times.append((ContinuousClock.now - started).secondsValue * 1000)
        }
        return times.sorted()[times.count / 2]
    }
}
