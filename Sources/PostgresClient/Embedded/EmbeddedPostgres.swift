import Foundation
import Logging
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// A private PostgreSQL cluster in a data folder, used when no database is configured.
///
/// `initdb` runs on first use; later starts reuse the folder. The server listens only on a Unix socket
/// in a folder only root and `postgres` can enter. As root, every PostgreSQL program runs as the
/// `postgres` system user, because PostgreSQL refuses to run as root.
public struct EmbeddedPostgres: Sendable {
    public var dataDirectory: URL
    /// The database Satang uses inside the cluster.
    public var databaseName: String
    public var logger: Logger

    public init(dataDirectory: URL, databaseName: String = "satang", logger: Logger = Logger(label: "satang.embedded")) {
        self.dataDirectory = dataDirectory.standardizedFileURL
        self.databaseName = databaseName
        self.logger = logger
    }

    /// Creates the cluster if needed, starts it and waits until it accepts connections.
    public func start() async throws -> EmbeddedPostgresServer {
        let this = self
        return try await NIOThreadPool.singleton.runIfActive { try this.startBlocking() }
    }

    private func startBlocking() throws -> EmbeddedPostgresServer {
        let user = try PostgresSystemUser.forCurrentProcess()
        let binaries = try PostgresBinaries.locate()
        let command = ChildProcess(runAs: user)
        let path = dataDirectory.path
        try prepareDirectory(user: user, command: command)

        if !FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) {
            logger.info("creating embedded PostgreSQL cluster", metadata: ["postgres.data": "\(path)"])
            try command.run(
                binaries.path("initdb"),
                ["-D", path, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"])
            let conf = dataDirectory.appendingPathComponent("postgresql.conf")
            let handle = try FileHandle(forWritingTo: conf)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("\ninclude_if_exists = 'satang.conf'\n".utf8))
            try handle.close()
        }

        let socketDirectory = try socketDirectory(user: user)
        let server: EmbeddedPostgresServer
        if let running = try runningServer(binaries: binaries, command: command) {
            logger.notice(
                "using the PostgreSQL already running on this data folder",
                metadata: ["postgres.data": "\(path)"])
            server = running
        } else {
            let settingsPath = dataDirectory.appendingPathComponent("satang.conf").path
            // Keep the port of earlier starts, so connection settings stay valid across restarts.
            let port = try Self.previousPort(settingsPath) ?? Self.freePort()
            let settings = """
                # Written by satang on every start of the embedded server.
                listen_addresses = ''
                port = \(port)
                unix_socket_directories = '\(socketDirectory.replacingOccurrences(of: "'", with: "''"))'
                unix_socket_permissions = 0700
                """
            try Data(settings.utf8).write(to: URL(fileURLWithPath: settingsPath))
            try user?.take(settingsPath)
            try command.run(
                binaries.path("pg_ctl"),
                ["-D", path, "-l", dataDirectory.appendingPathComponent("server.log").path, "-w", "-t", "60", "start"])
            server = EmbeddedPostgresServer(
                dataDirectory: dataDirectory, socketDirectory: socketDirectory, port: port, databaseName: databaseName,
                binaries: binaries, runAs: user?.name)
        }
        try createDatabaseIfMissing(server)
        logger.info(
            "embedded PostgreSQL ready",
            metadata: ["postgres.socket": "\(server.socketDirectory)", "postgres.port": "\(server.port)"])
        return server
    }

    private func prepareDirectory(user: PostgresSystemUser?, command: ChildProcess) throws(EmbeddedPostgresError) {
        let path = dataDirectory.path
        do {
            try FileManager.default.createDirectory(
                at: dataDirectory.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: path) {
                try FileManager.default.createDirectory(
                    at: dataDirectory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw .dataDirectoryUnusable(path: path, reason: "\(error)")
        }
        guard let user else { return }
        try user.take(path)
        do {
            try command.run("/usr/bin/test", ["-w", path])
        } catch {
            throw .dataDirectoryUnusable(
                path: path,
                reason: "the postgres user cannot reach it (a parent folder is closed to other users); "
                    + "choose a --data-dir under a folder such as /var/lib/satang")
        }
    }

    /// The data folder itself when its path is short enough for a socket name, else a private folder in /tmp.
    private func socketDirectory(user: PostgresSystemUser?) throws(EmbeddedPostgresError) -> String {
        let path = dataDirectory.path
        if path.utf8.count <= 80 { return path }
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in path.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        let directory = "/tmp/satang-pg-\(String(hash, radix: 36))"
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .dataDirectoryUnusable(path: directory, reason: "cannot create the socket folder: \(error)")
        }
        try user?.take(directory)
        return directory
    }

    /// A server left running on this folder (by a Satang that was killed) is reused rather than fought.
    private func runningServer(binaries: PostgresBinaries, command: ChildProcess) throws -> EmbeddedPostgresServer? {
        let pidFile = dataDirectory.appendingPathComponent("postmaster.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8) else { return nil }
        guard (try? command.run(binaries.path("pg_ctl"), ["-D", dataDirectory.path, "status"])) != nil else {
            return nil
        }
        // postmaster.pid: line 4 is the port, line 5 the first socket folder.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count > 4, let port = Int(lines[3]) else { return nil }
        return EmbeddedPostgresServer(
            dataDirectory: dataDirectory, socketDirectory: lines[4], port: port, databaseName: databaseName,
            binaries: binaries, runAs: try PostgresSystemUser.forCurrentProcess()?.name, adopted: true)
    }

    private func createDatabaseIfMissing(_ server: EmbeddedPostgresServer) throws {
        var maintenance = server.configuration
        maintenance.database = "postgres"
        let connection = try PostgresConnection.connect(maintenance)
        defer { connection.close() }
        let exists = try connection.query("SELECT 1 FROM pg_database WHERE datname = $1::text", [.string(databaseName)])
        if exists.isEmpty {
            // CREATE DATABASE takes no parameters; the name is quoted as an identifier.
            try connection.executeScript("CREATE DATABASE \"\(databaseName.replacingOccurrences(of: "\"", with: "\"\""))\"")
        }
    }

    private static func previousPort(_ settingsPath: String) -> Int? {
        guard let text = try? String(contentsOfFile: settingsPath, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("port = ") {
            return Int(line.dropFirst("port = ".count))
        }
        return nil
    }

    /// A port number no one is listening on; with TCP off it only names the socket file.
    static func freePort() throws(EmbeddedPostgresError) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return 5432 }
        defer { Glibc.close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { return 5432 }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
