import Foundation
import PostgresClient
import SatangTestSupport
import Testing

/// `satang migrate` from two processes at once applies each migration once; an edited file stops it.
@Suite struct MigrateCommandTests {
    @Test func twoProcessesMigratingTogetherApplyEachFileOnce() async throws {
        try await withTestDatabase("twoproc") { database, pool in
            let first = try SatangProcess.start(["migrate", "--database-url", database.url])
            let second = try SatangProcess.start(["migrate", "--database-url", database.url])
            let firstStatus = await first.waitForExit(timeout: .seconds(120))
            let secondStatus = await second.waitForExit(timeout: .seconds(120))
            #expect(firstStatus == 0, "\(first.output)")
            #expect(secondStatus == 0, "\(second.output)")
            let files = try Migration.load(from: packageRoot.appendingPathComponent("sql/migrations"))
            let rows = try await pool.query("SELECT version, count(*) OVER () AS total FROM schema_migrations ORDER BY version")
            #expect(rows.count == files.count)
            #expect(try rows.map { try $0.decode("version", as: Int.self) } == files.map(\.version))
            let applied = [first.output, second.output].filter { $0.contains("applied \(files.count) migration(s)") }
            #expect(applied.count == 1, "exactly one process applies the files; the other finds them applied")
        }
    }

    @Test func anEditedAppliedMigrationStopsStartUpNamingTheFile() async throws {
        try await withTestDatabase("editedfile") { database, _ in
            let (status, output) = try await SatangProcess.run(["migrate", "--database-url", database.url])
            #expect(status == 0, "\(output)")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("satang-edited-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("sql/migrations"), to: directory)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("0001_foundation.sql")
            try (String(contentsOf: file, encoding: .utf8) + "\n-- an innocent-looking edit\n").write(
                to: file, atomically: true, encoding: .utf8)
            let (editedStatus, editedOutput) = try await SatangProcess.run(
                ["migrate", "--database-url", database.url], environment: ["SATANG_MIGRATIONS_DIR": directory.path])
            #expect(editedStatus != 0)
            #expect(editedOutput.contains("0001_foundation.sql was changed after it was applied"), "\(editedOutput)")
        }
    }
}
