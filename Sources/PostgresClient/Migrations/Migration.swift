import Crypto
import Foundation

/// One schema change: a `sql/migrations/NNNN_name.sql` file, applied once, in version order.
public struct Migration: Sendable, Equatable {
    /// The number before the underscore; migrations apply in ascending order.
    public var version: Int
    /// The file name, e.g. `0001_foundation.sql`; errors name it.
    public var fileName: String
    public var sql: String
    /// Hex SHA-256 of the file's bytes, recorded when applied, so a later edit is noticed.
    public var checksum: String

    public init(version: Int, fileName: String, sql: String) {
        self.version = version
        self.fileName = fileName
        self.sql = sql
        self.checksum = SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads every `NNNN_name.sql` in `directory`, sorted by version.
    public static func load(from directory: URL) throws(MigrationError) -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .directoryUnreadable(directory.path)
        }
        var migrations: [Migration] = []
        for name in names.sorted() where name.hasSuffix(".sql") {
            let prefix = name.prefix { $0.isNumber }
            guard prefix.count == 4, let version = Int(prefix), name.dropFirst(4).first == "_" else {
                throw .badFileName(name)
            }
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                let sql = String(data: data, encoding: .utf8)
            else { throw .directoryUnreadable(directory.appendingPathComponent(name).path) }
            if let twin = migrations.first(where: { $0.version == version }) {
                throw .duplicateVersion(version, twin.fileName, name)
            }
            migrations.append(Migration(version: version, fileName: name, sql: sql))
        }
        return migrations
    }

    /// Where the migrations are: `SATANG_MIGRATIONS_DIR`, else `sql/migrations` in the working directory,
    /// else beside the executable (`../share/satang/migrations`, as the container installs them).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let configured = environment["SATANG_MIGRATIONS_DIR"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        let local = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent("sql/migrations")
        if FileManager.default.fileExists(atPath: local.path) { return local }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return executable.deletingLastPathComponent()
            .appendingPathComponent("../share/satang/migrations").standardizedFileURL
    }
}
