import ArgumentParser
import Foundation
import Ledger
import Logging
import NIOPosix
import PostgresClient

/// `satang bench ledger`: batch posting throughput, one hot book and 10,000 books, against pgbench tpcb-like.
struct LedgerBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Ledger posting throughput against pgbench -b tpcb-like in the same run.")

    @Option(help: "Seconds per measurement.") var seconds: Int = 10
    @Option(help: "Concurrent posters (and pgbench clients).") var concurrency: Int = 8
    @Option(name: .customLong("batch"), help: "Entries per batch.") var batchSize: Int = 100
    @Option(help: "Books in the spread-out scenario.") var books: Int = 10_000
    @Option(help: "pgbench scales for the tpcb-like baselines: 1 (pgbench's default, one hot branch row, like the hot book) and 10.")
    var scales: String = "1,10"
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 256") }
        guard (1...1000).contains(batchSize) else { throw ValidationError("--batch must be 1 to 1000") }
        guard (1...1_000_000).contains(books) else { throw ValidationError("--books must be 1 to 1,000,000") }
    }

    func run() async throws {
        var logging = self.logging
        if logging.level == "info" { logging.level = "warning" }
        let logger = logging.bootstrap()
        let session = try await DatabaseSession.open(database, logger: logger)
        do {
            try await measure(session, logger: logger)
        } catch {
            await session.close(logger: logger)
            throw error
        }
        await session.close(logger: logger)
    }

    private func measure(_ session: DatabaseSession, logger: Logger) async throws {
        let bench = try await BenchDatabase.prepare(session.configuration, name: "satang_bench")
        let pool = PostgresPool(configuration: .init(connection: bench.configuration, size: concurrency), logger: logger)
        do {
            try await measure(on: pool, bench: bench, logger: logger)
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }

    private func measure(on pool: PostgresPool, bench: BenchDatabase, logger: Logger) async throws {
        try await MigrationRunner(migrations: Migration.load(from: Migration.defaultDirectory()), logger: logger).run(on: pool)
        Console.line("preparing \(books) books with the merchant chart…")
        let ledger = Ledger(pool: pool, logger: logger)
        let (hot, spread) = try await prepareBooks(ledger)

        let pgbench = try PgBench.locate(conninfo: bench.conninfo)
        let scales = self.scales.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
        guard !scales.isEmpty else { throw ValidationError("--scales takes numbers, e.g. 1,10") }

        Console.line()
        Console.line("satang bench ledger — \(seconds) s each, \(concurrency) posters, \(batchSize) payment entries (3 postings) per batch")
        let hotRun = try await post(ledger, books: [hot])
        print(hotRun, scenario: "hot book (every entry credits one merchant:available)")
        let spreadRun = try await post(ledger, books: spread)
        print(spreadRun, scenario: "\(spread.count) books at random")
        let (seconds, clients) = (self.seconds, concurrency)
        for scale in scales {
            let tps = try await NIOThreadPool.singleton.runIfActive {
                try pgbench.initialise(scale: scale)
                return try pgbench.tps(["-b", "tpcb-like"], clients: clients, seconds: seconds)
            }
            Console.line(
                String(
                    format: "pgbench -b tpcb-like, %d clients, scale %d: %.0f tps — hot book %.2f× (target ≥ 2×), spread %.2f×",
                    concurrency, scale, tps, hotRun.entriesPerSecond / tps, spreadRun.entriesPerSecond / tps))
        }
    }

    private struct Run {
        var entries: Int
        var postings: Int
        var rejected: Int
        var batches: LatencySummary
        var entriesPerSecond: Double { Double(entries) / batches.seconds }
    }

    private func print(_ run: Run, scenario: String) {
        Console.line(
            String(
                format: "%@: %.0f entries/s, %.0f postings/s, per batch p50 %.1f ms p99 %.1f ms (%d rejected)",
                scenario, run.entriesPerSecond, Double(run.postings) / run.batches.seconds,
                run.batches.p50Milliseconds, run.batches.p99Milliseconds, run.rejected))
    }

    /// Posts payment batches on `books` from every poster for the run's time.
    private func post(_ ledger: Ledger, books: [Int64]) async throws -> Run {
        let duration = Duration.seconds(seconds)
        let clock = ContinuousClock()
        let start = clock.now
        let batchSize = self.batchSize
        let runID = UUID().uuidString.prefix(8)
        let perPoster = try await withThrowingTaskGroup(of: (Int, Int, Int, [Int64]).self) { group in
            for poster in 0..<concurrency {
                group.addTask {
                    var (entries, postings, rejected, latencies) = (0, 0, 0, [Int64]())
                    var counter = 0
                    while clock.now - start < duration {
                        var batch: [JournalEntryRequest] = []
                        for _ in 0..<batchSize {
                            counter += 1
                            let gross = Money.minor(Int64.random(in: 10_000...10_000_000))
                            batch.append(try MoneyMovement.paymentSucceeded(
                                book: books.randomElement()!, paymentID: "\(runID)-\(poster)-\(counter)", provider: "KBANK",
                                gross: gross, fee: .minor(gross.minorUnits * 15 / 1000)))
                        }
                        let began = clock.now
                        let results = try await ledger.post(batch)
                        latencies.append((clock.now - began).nanosecondsValue)
                        for result in results {
                            if let entry = result.postedEntry {
                                entries += 1
                                postings += entry.lines.count
                            } else {
                                rejected += 1
                            }
                        }
                    }
                    return (entries, postings, rejected, latencies)
                }
            }
            return try await group.reduce(into: [(Int, Int, Int, [Int64])]()) { $0.append($1) }
        }
        let elapsed = (clock.now - start).secondsValue
        return Run(
            entries: perPoster.map(\.0).reduce(0, +), postings: perPoster.map(\.1).reduce(0, +),
            rejected: perPoster.map(\.2).reduce(0, +),
            batches: LatencySummary(latencies: perPoster.flatMap(\.3), seconds: elapsed))
    }

    /// One hot book and `books` spread-out books, each with the merchant chart, opened in bulk.
    private func prepareBooks(_ ledger: Ledger) async throws -> (Int64, [Int64]) {
        let opened = try await ledger.openMerchantBooks(codes: (0...books).map { "bench-\($0)" }, providers: ["KBANK"])
        return (opened[0].id, opened.dropFirst().map(\.id))
    }
}
