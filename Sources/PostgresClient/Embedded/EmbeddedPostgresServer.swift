import Foundation
import NIOPosix

/// A running embedded PostgreSQL: how to connect to it, and how to stop or restart it.
public struct EmbeddedPostgresServer: Sendable {
    public var dataDirectory: URL
    public var socketDirectory: String
    public var port: Int
    public var databaseName: String
    var binaries: PostgresBinaries
    var runAs: String?
    /// True when the server was already running (started by another satang process, or left by one
    /// that was killed) and this process only connected to it.
    public var adopted = false

    /// Connects over the private Unix socket as the `postgres` superuser.
    public var configuration: PostgresConfiguration {
        func quoted(_ value: String) -> String {
            "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        return PostgresConfiguration(
            connectionString: "host=\(quoted(socketDirectory)) port=\(port) user=postgres dbname=\(quoted(databaseName))")
    }

    /// Stops the server with a fast shutdown (open sessions are ended, data is flushed) and waits for it.
    public func stop() async throws {
        try await pgCtl(["-D", dataDirectory.path, "-m", "fast", "-w", "-t", "60", "stop"])
    }

    /// Restarts the server in place; open connections are cut, as in a real database restart.
    public func restart() async throws {
        try await pgCtl(
            ["-D", dataDirectory.path, "-l", dataDirectory.appendingPathComponent("server.log").path,
             "-m", "fast", "-w", "-t", "60", "restart"])
    }

    /// Whether the server process is alive (`pg_ctl status`).
    public func isRunning() async -> Bool {
        (try? await pgCtl(["-D", dataDirectory.path, "status"])) != nil
    }

    private func pgCtl(_ arguments: [String]) async throws {
        let command = ChildProcess(runAs: try PostgresSystemUser.forCurrentProcess())
        let program = binaries.path("pg_ctl")
        _ = try await NIOThreadPool.singleton.runIfActive { try command.run(program, arguments) }
    }
}
