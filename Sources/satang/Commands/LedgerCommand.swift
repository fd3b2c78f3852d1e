import ArgumentParser
import Foundation
import Ledger
import Logging
import PostgresClient

/// `satang ledger …`: read the books from the command line.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Read the ledger: trial balances and account statements.",
        subcommands: [TrialBalanceCommand.self, StatementCommand.self])
}

/// Opens the database for a ledger command, runs `body`, and closes everything again.
func withLedger<T>(
    _ database: DatabaseOptions, _ logging: LoggingOptions, _ body: (Ledger) async throws -> T
) async throws -> T {
    var quiet = logging
    if quiet.level == "info" { quiet.level = "warning" }  // keep report output clean
    let logger = quiet.bootstrap()
    let session = try await DatabaseSession.open(database, logger: logger)
    let pool = session.pool(database, logger: logger)
    let result: Result<T, any Error>
    do {
        _ = try await session.migrate(pool: pool, logger: logger)
        result = .success(try await body(Ledger(pool: pool, logger: logger)))
    } catch {
        result = .failure(error)
    }
    await pool.shutdown()
    await session.close(logger: logger)
    return try result.get()
}
