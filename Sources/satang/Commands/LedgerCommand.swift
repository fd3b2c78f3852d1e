import ArgumentParser
import Foundation
import Ledger
import Logging
import PostgresClient

/// `satang ledger …`: read the books, and an operator's corrections, from the command line.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Read the ledger (trial balances, statements) and correct it (adjust, reverse).",
        subcommands: [TrialBalanceCommand.self, StatementCommand.self, LedgerAdjustCommand.self, LedgerReverseCommand.self])
}

/// Opens the database for an operator command (migrating it), runs `body` with a pool, and closes everything.
func withDatabase<T>(
    _ database: DatabaseOptions, _ logging: LoggingOptions, _ body: (PostgresPool) async throws -> T
) async throws -> T {
    var quiet = logging
    if quiet.level == "info" { quiet.level = "warning" }  // keep command output clean
    let logger = quiet.bootstrap()
    let session = try await DatabaseSession.open(database, logger: logger)
    let pool = session.pool(database, logger: logger)
    let result: Result<T, any Error>
    do {
        _ = try await session.migrate(pool: pool, logger: logger)
        result = .success(try await body(pool))
    } catch {
        result = .failure(error)
    }
    await pool.shutdown()
    await session.close(logger: logger)
    return try result.get()
}

/// Opens the database for a ledger command and hands `body` the ledger.
func withLedger<T>(
    _ database: DatabaseOptions, _ logging: LoggingOptions, _ body: (Ledger) async throws -> T
) async throws -> T {
    try await withDatabase(database, logging) { pool in try await body(Ledger(pool: pool)) }
}
