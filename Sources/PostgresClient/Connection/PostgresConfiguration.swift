import Foundation

/// How to reach PostgreSQL: a `postgres://` URL or conninfo string, or libpq's own `PG*` environment variables.
///
/// TLS is libpq's: put `sslmode=require` (or `verify-full` with `sslrootcert`) in the URL or `PGSSLMODE`.
public struct PostgresConfiguration: Sendable {
    /// A `postgres://` URL or a `key=value` conninfo string; `nil` lets libpq read `PGHOST`, `PGPORT`, … itself.
    public var connectionString: String?
    /// Overrides the database named by `connectionString` (tests use one database each).
    public var database: String?
    /// Shown in `pg_stat_activity`.
    public var applicationName: String
    /// How long one connection attempt may take.
    public var connectTimeoutSeconds: Int
    /// The server cancels a statement that runs longer; `nil` keeps the server's setting.
    public var statementTimeout: Duration?

    public init(
        connectionString: String?,
        database: String? = nil,
        applicationName: String = "satang",
        connectTimeoutSeconds: Int = 5,
        statementTimeout: Duration? = .seconds(30)
    ) {
        self.connectionString = connectionString
        self.database = database
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.statementTimeout = statementTimeout
    }

    /// Libpq's variables that, when set, mean a database has been configured through the environment.
    static let libpqEnvironmentVariables = ["PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGSERVICE"]

    /// `DATABASE_URL`, else libpq's `PG*` variables; `nil` when neither names a database.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> PostgresConfiguration?
    {
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            return PostgresConfiguration(connectionString: url)
        }
        if libpqEnvironmentVariables.contains(where: { environment[$0].map { !$0.isEmpty } ?? false }) {
            return PostgresConfiguration(connectionString: nil)
        }
        return nil
    }

    /// libpq keyword/value pairs, in the order libpq processes them: later pairs override earlier ones.
    var connectionParameters: [(String, String)] {
        var parameters: [(String, String)] = [
            ("application_name", applicationName),
            ("connect_timeout", String(connectTimeoutSeconds)),
            ("client_encoding", "UTF8"),
        ]
        // The first `dbname` is expanded as a URL or conninfo string; its settings override the defaults above.
        if let connectionString { parameters.append(("dbname", connectionString)) }
        if let database { parameters.append(("dbname", database)) }
        return parameters
    }

    /// Statements run once on every new connection, so every session reads and writes times the same way.
    var sessionSetup: String {
        var setup = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 1;"
        if let statementTimeout {
            let milliseconds = statementTimeout.components.seconds * 1000
                + statementTimeout.components.attoseconds / 1_000_000_000_000_000
            setup += " SET statement_timeout = \(milliseconds);"
        }
        return setup
    }
}
