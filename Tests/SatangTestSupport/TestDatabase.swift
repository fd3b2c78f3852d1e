import Foundation
import PostgresClient

/// A database of its own for one test, created on the throwaway server the test command starts.
///
/// Tests never skip when PostgreSQL is missing: `create()` throws, so CI cannot pass having tested nothing.
public struct TestDatabase: Sendable {
    /// The database's name, unique per test.
    public let name: String
    /// A `postgres://` URL for it, for child processes.
    public let url: String
    /// libpq settings for it.
    public var configuration: PostgresConfiguration {
        PostgresConfiguration(connectionString: url, statementTimeout: .seconds(60))
    }

    /// The server's admin URL from `SATANG_TEST_DATABASE_URL`, set by `scripts/test.sh`.
    public static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["SATANG_TEST_DATABASE_URL"], !url.isEmpty else {
            throw TestSetupError(
                "SATANG_TEST_DATABASE_URL is not set: these tests need a real PostgreSQL. "
                    + "Run them with scripts/test.sh, which starts one.")
        }
        return url
    }

    /// Creates an empty database with a unique name.
    public static func create(_ label: String = "t") async throws -> TestDatabase {
        let server = try serverURL()
        let safeLabel = label.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(20)
        let name = "satang_\(safeLabel)_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try PostgresConnection.connect(PostgresConfiguration(connectionString: server))
        defer { admin.close() }
        // Identifiers cannot be parameters; the name is built from letters, digits and '_' only.
        try admin.executeScript("CREATE DATABASE \(name)")
        guard var components = URLComponents(string: server) else { throw TestSetupError("bad server URL \(server)") }
        components.path = "/\(name)"
        return TestDatabase(name: name, url: components.string!)
    }

    /// A pool on this database.
    /// Tests check answers, not waiting times: on a busy 2-core machine running every suite at once, a
    /// connection may take a while, so the default wait is long (tests of the timeout set their own).
    public func pool(size: Int = 4, acquireTimeout: Duration = .seconds(60)) -> PostgresPool {
        PostgresPool(configuration: .init(connection: configuration, size: size, acquireTimeout: acquireTimeout))
    }

    /// Drops the database, ending any session still on it.
    public func drop() async throws {
        let admin = try PostgresConnection.connect(PostgresConfiguration(connectionString: try Self.serverURL()))
        defer { admin.close() }
        try admin.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

/// Runs `body` with a fresh database and a pool on it, and drops both afterwards.
public func withTestDatabase<T>(
    _ label: String = "t",
    poolSize: Int = 4,
    _ body: (TestDatabase, PostgresPool) async throws -> T
) async throws -> T {
    let database = try await TestDatabase.create(label)
    let pool = database.pool(size: poolSize)
    do {
        let result = try await body(database, pool)
        await pool.shutdown()
        try await database.drop()
        return result
    } catch {
        await pool.shutdown()
        try? await database.drop()
        throw error
    }
}

/// The test environment is not set up; the message says how to set it up.
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The package's root folder, for tests that read `sql/migrations` or run the built executable.
public let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `withTestDatabase`, with the repository's migrations applied first.
public func withMigratedTestDatabase<T>(
    _ label: String = "t",
    poolSize: Int = 4,
    _ body: (TestDatabase, PostgresPool) async throws -> T
) async throws -> T {
    try await withTestDatabase(label, poolSize: poolSize) { database, pool in
        let migrations = try Migration.load(from: packageRoot.appendingPathComponent("sql/migrations"))
        try await MigrationRunner(migrations: migrations).run(on: pool)
        return try await body(database, pool)
    }
}
