import ArgumentParser
import Logging
import PostgresClient

/// `satang migrate`: apply pending migrations and exit.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending database migrations and exit.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.bootstrap()
        let session = try await DatabaseSession.open(database, logger: logger)
        let pool = session.pool(database, logger: logger)
        let result: Result<MigrationRunner.Report, any Error>
        do {
            result = .success(try await session.migrate(pool: pool, logger: logger))
        } catch {
            result = .failure(error)
        }
        await pool.shutdown()
        await session.close(logger: logger)
        switch result {
        case .success(let report):
            print("applied \(report.applied.count) migration(s), \(report.skipped.count) already applied")
            for name in report.applied { print("  applied \(name)") }
        case .failure(let error):
            // ArgumentParser prints the error's description on stderr and exits non-zero.
            throw error
        }
    }
}
