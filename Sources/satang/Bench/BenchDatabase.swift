import Foundation
import PostgresClient

/// A database of its own on the same server, so benchmark tables never mix with Satang's.
struct BenchDatabase {
    let configuration: PostgresConfiguration
    let name: String

    /// A connection string for tools such as pgbench: the server's settings with this database's name.
    var conninfo: String {
        guard let connectionString = configuration.connectionString else { return "dbname=\(name)" }  // PG* env
        if connectionString.contains("://"), var url = URLComponents(string: connectionString) {
            url.path = "/\(name)"
            return url.string ?? connectionString
        }
        return connectionString + " dbname=\(name)"  // in conninfo text the last setting wins
    }

    /// Creates the database when it is missing; `fresh` drops it first, so no earlier run's rows (and the
    /// workers they would wake, such as the expiry sweeper) weigh on this run's figures.
    static func prepare(_ server: PostgresConfiguration, name: String, fresh: Bool = false) async throws -> BenchDatabase {
        var configuration = server
        configuration.statementTimeout = nil
        let admin = PostgresPool(configuration: .init(connection: configuration, size: 1))
        if fresh {
            // DROP DATABASE takes no parameters; `name` is a fixed identifier of this program.
            try await admin.withConnection { try $0.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        }
        let exists = try await admin.query("SELECT 1 FROM pg_database WHERE datname = $1::text", [.string(name)])
        if exists.isEmpty {
            // CREATE DATABASE takes no parameters; `name` is a fixed identifier of this program.
            try await admin.withConnection { try $0.executeScript("CREATE DATABASE \(name)") }
        }
        await admin.shutdown()
        configuration.database = name
        return BenchDatabase(configuration: configuration, name: name)
    }
}
