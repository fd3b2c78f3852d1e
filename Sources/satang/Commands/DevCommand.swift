import ArgumentParser
import Foundation
import Ledger
import PostgresClient

/// `satang dev seed`: a large, valid dataset for trying reports at scale (never on a production database).
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev", abstract: "Development helpers.", subcommands: [DevSeedCommand.self])
}

struct DevSeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed", abstract: "Open --books merchant books and post --entries payment entries (3 postings each) spread over them.")
    @Option(help: "Journal entries to post (3 postings each).") var entries: Int = 333_334
    @Option(help: "Books to spread them over (4 accounts each).") var books: Int = 2_500
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (1...10_000_000).contains(entries) else { throw ValidationError("--entries is 1 to 10,000,000") }
        guard (1...100_000).contains(books) else { throw ValidationError("--books is 1 to 100,000") }
    }

    func run() async throws {
        let (entries, books) = (self.entries, self.books)
        let started = ContinuousClock.now
        let posted = try await withLedger(database, logging) { ledger in try await LedgerSeeder.seed(ledger, entries: entries, books: books) }
        Console.line(String(format: "posted %d entries (%d postings) over %d books in %.1f s",
                            posted, posted * 3, books, (ContinuousClock.now - started).secondsValue))
    }
}

/// Posts payment entries through the ledger's own batch poster (so every total and sequence is right),
/// eight batches of 500 at a time, over books `seed-<run>-<n>` with the merchant chart.
enum LedgerSeeder {
    static func seed(_ ledger: Ledger, entries: Int, books: Int, prefix: String = "seed") async throws -> Int {
        let run = UUID().uuidString.prefix(6).lowercased()
        let opened = try await ledger.openMerchantBooks(codes: (0..<books).map { "\(prefix)-\(run)-\($0)" }, providers: ["KBANK"])
        let ids = opened.map(\.id)
        let batch = 500, posters = 8
        var next = 0
        try await withThrowingTaskGroup(of: Void.self) { group in
            func addBatch() {
                guard next < entries else { return }
                let range = next..<min(next + batch, entries)
                next = range.upperBound
                group.addTask {
                    let requests = try range.map { index in
                        let gross = Money.minor(Int64(10_000 + (index * 7_919) % 9_990_000))
                        return try MoneyMovement.paymentSucceeded(
                            book: ids[index % ids.count], paymentID: "\(run)-\(index)", provider: "KBANK",
                            gross: gross, fee: .minor(gross.minorUnits * 15 / 1000))
                    }
                    _ = try await ledger.post(requests)
                }
            }
            for _ in 0..<posters { addBatch() }
            while try await group.next() != nil { addBatch() }
        }
        return entries
    }
}
