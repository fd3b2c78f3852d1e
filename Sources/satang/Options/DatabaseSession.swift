import Foundation
import Logging
import PostgresClient

/// An open database for one command: the configured server, or the embedded one started for the command
/// and stopped when it ends.
struct DatabaseSession {
    let configuration: PostgresConfiguration
    let embedded: EmbeddedPostgresServer?
    /// Whether closing stops a server this process found already running (only `serve` does: it owns
    /// the embedded database; an operator command next to a running service must not pull it away).
    let stopsAdoptedServer: Bool

    static func open(_ options: DatabaseOptions, logger: Logger, stopsAdoptedServer: Bool = false) async throws
        -> DatabaseSession
    {
        if let configured = options.configuredDatabase {
            return DatabaseSession(
                configuration: options.withStatementTimeout(configured), embedded: nil, stopsAdoptedServer: false)
        }
        let dataDirectory = URL(fileURLWithPath: options.dataDirectory, relativeTo:
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
        logger.info("no database configured; using the embedded PostgreSQL", metadata: ["postgres.data": "\(dataDirectory.path)"])
        let server = try await EmbeddedPostgres(dataDirectory: dataDirectory, logger: logger).start()
        return DatabaseSession(
            configuration: options.withStatementTimeout(server.configuration), embedded: server,
            stopsAdoptedServer: stopsAdoptedServer)
    }

    func pool(_ options: DatabaseOptions, logger: Logger) -> PostgresPool {
        PostgresPool(
            configuration: .init(
                connection: configuration, size: options.poolSize,
                acquireTimeout: .milliseconds(options.acquireTimeoutMilliseconds)),
            logger: logger)
    }

    /// Stops the embedded server, if this session started one.
    func close(logger: Logger) async {
        guard let embedded, !embedded.adopted || stopsAdoptedServer else { return }
        do {
            try await embedded.stop()
            logger.info("embedded PostgreSQL stopped")
        } catch {
            logger.error("embedded PostgreSQL did not stop cleanly", metadata: ["error": "\(error)"])
        }
    }

    /// Applies the migrations in `sql/migrations` (or `SATANG_MIGRATIONS_DIR`).
    func migrate(pool: PostgresPool, logger: Logger) async throws -> MigrationRunner.Report {
        let migrations = try Migration.load(from: Migration.defaultDirectory())
        return try await MigrationRunner(migrations: migrations, logger: logger).run(on: pool)
    }
}
