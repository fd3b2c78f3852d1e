import ArgumentParser
import Foundation
import PostgresClient

/// Where the database is: `--database-url`, else `DATABASE_URL` or libpq's `PG*` variables, else the
/// embedded cluster in `--data-dir`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "postgres:// URL; defaults to DATABASE_URL, then PG* variables.")
    var databaseURL: String?

    @Option(name: .customLong("data-dir"), help: "Data folder of the embedded PostgreSQL, used when no database is configured.")
    var dataDirectory: String = ".satang/pgdata"

    @Option(name: .customLong("pool-size"), help: "Most database connections open at once.")
    var poolSize: Int = 10

    @Option(name: .customLong("statement-timeout-ms"), help: "The server cancels statements running longer (0: no limit).")
    var statementTimeoutMilliseconds: Int = 30_000

    @Option(name: .customLong("acquire-timeout-ms"), help: "How long a request waits for a free connection.")
    var acquireTimeoutMilliseconds: Int = 5_000

    func validate() throws {
        guard poolSize > 0, poolSize <= 500 else { throw ValidationError("--pool-size must be between 1 and 500") }
        guard statementTimeoutMilliseconds >= 0 else { throw ValidationError("--statement-timeout-ms cannot be negative") }
        guard acquireTimeoutMilliseconds > 0 else { throw ValidationError("--acquire-timeout-ms must be positive") }
    }

    /// The configured database, or `nil` when Satang should run its embedded one.
    var configuredDatabase: PostgresConfiguration? {
        if let databaseURL, !databaseURL.isEmpty { return PostgresConfiguration(connectionString: databaseURL) }
        return PostgresConfiguration.fromEnvironment()
    }

    func withStatementTimeout(_ configuration: PostgresConfiguration) -> PostgresConfiguration {
        var configuration = configuration
        configuration.statementTimeout =
            statementTimeoutMilliseconds == 0 ? nil : .milliseconds(statementTimeoutMilliseconds)
        return configuration
    }
}
