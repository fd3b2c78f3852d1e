import Logging

/// Applies pending migrations in order, each in its own transaction, under an advisory lock so that
/// several instances starting together apply each migration exactly once.
public struct MigrationRunner: Sendable {
    /// The advisory lock key every Satang instance takes while migrating ("satang" in ASCII).
    static let advisoryLockKey: Int64 = 0x7361_7461_6e67

    public var migrations: [Migration]
    public var logger: Logger

    public init(migrations: [Migration], logger: Logger = Logger(label: "satang.migrations")) {
        self.migrations = migrations
        self.logger = logger
    }

    /// What a run did: the migrations it applied and those it found already applied.
    public struct Report: Sendable, Equatable {
        public var applied: [String] = []
        public var skipped: [String] = []
    }

    /// Migrates the database `pool` points at. Refuses to go on when an applied file has changed.
    @discardableResult
    public func run(on pool: PostgresPool) async throws -> Report {
        let migrations = self.migrations
        let logger = self.logger
        return try await pool.withConnection { connection in
            try Self.migrate(connection, migrations: migrations, logger: logger)
        }
    }

    static func migrate(_ connection: PostgresConnection, migrations: [Migration], logger: Logger) throws -> Report {
        // Session-level lock: held across all files, released even if this process dies (the session ends).
        // Migrations may run long, so this session has no statement timeout while it holds the lock.
        try connection.executeScript("SET statement_timeout = 0")
        try connection.query("SELECT pg_advisory_lock($1::int8)", [.int64(advisoryLockKey)])
        defer {
            _ = try? connection.query("SELECT pg_advisory_unlock($1::int8)", [.int64(advisoryLockKey)])
            _ = try? connection.executeScript("RESET statement_timeout; " + connection.configuration.sessionSetup)
        }
        try connection.executeScript(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                file_name  text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        var recorded: [Int: (fileName: String, checksum: String)] = [:]
        for row in try connection.query("SELECT version, file_name, checksum FROM schema_migrations") {
            recorded[try row.decode("version", as: Int.self)] =
                (try row.decode("file_name"), try row.decode("checksum"))
        }
        var report = Report()
        for migration in migrations {
            if let applied = recorded[migration.version] {
                guard applied.checksum == migration.checksum else {
                    throw MigrationError.checksumMismatch(
                        fileName: migration.fileName, recorded: applied.checksum, current: migration.checksum)
                }
                report.skipped.append(migration.fileName)
                continue
            }
            do {
                try connection.transaction { connection in
                    try connection.executeScript(migration.sql)
                    try connection.query(
                        "INSERT INTO schema_migrations (version, file_name, checksum) VALUES ($1::int4, $2::text, $3::text)",
                        [.int32(Int32(migration.version)), .string(migration.fileName), .string(migration.checksum)])
                }
            } catch let error as PostgresError {
                throw MigrationError.failed(fileName: migration.fileName, error)
            }
            logger.info("migration applied", metadata: ["migration.file": "\(migration.fileName)"])
            report.applied.append(migration.fileName)
        }
        let known = Set(migrations.map(\.version))
        for (version, applied) in recorded where !known.contains(version) {
            logger.warning(
                "database has a migration this build does not know; is an older build running?",
                metadata: ["migration.file": "\(applied.fileName)"])
        }
        return report
    }
}
