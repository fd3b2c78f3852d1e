import Foundation
import PostgresClient
import SatangTestSupport
import Testing

/// Migrations apply once, in order, each atomically; an edited applied file stops start-up.
@Suite struct MigrationTests {
    let first = Migration(version: 1, fileName: "0001_first.sql", sql: "CREATE TABLE a (id int);")
    let second = Migration(version: 2, fileName: "0002_second.sql", sql: "CREATE TABLE b (id int); INSERT INTO a VALUES (1);")

    @Test func appliesOnceThenSkips() async throws {
        try await withTestDatabase("migonce") { _, pool in
            let runner = MigrationRunner(migrations: [first, second])
            let report = try await runner.run(on: pool)
            #expect(report.applied == ["0001_first.sql", "0002_second.sql"])
            let again = try await runner.run(on: pool)
            #expect(again.applied.isEmpty)
            #expect(again.skipped == ["0001_first.sql", "0002_second.sql"])
            #expect(try await pool.query("SELECT count(*) AS n FROM a").single!.decode("n", as: Int.self) == 1)
            let recorded = try await pool.query("SELECT file_name, checksum FROM schema_migrations ORDER BY version")
            #expect(try recorded.map { try $0.decode("file_name", as: String.self) } == ["0001_first.sql", "0002_second.sql"])
            #expect(try recorded[0].decode("checksum", as: String.self) == first.checksum)
            #expect(first.checksum.count == 64)
        }
    }

    @Test func refusesAnEditedAppliedFile() async throws {
        try await withTestDatabase("migedit") { _, pool in
            try await MigrationRunner(migrations: [first]).run(on: pool)
            let edited = Migration(version: 1, fileName: "0001_first.sql", sql: "CREATE TABLE a (id bigint);")
            let error = await #expect(throws: MigrationError.self) {
                try await MigrationRunner(migrations: [edited, second]).run(on: pool)
            }
            guard case .checksumMismatch(let name, _, _) = error else {
                Issue.record("expected a checksum mismatch, got \(String(describing: error))")
                return
            }
            #expect(name == "0001_first.sql")
            #expect(error?.description.contains("0001_first.sql was changed after it was applied") == true)
            // Nothing after the edited file was applied.
            let tables = try await pool.query("SELECT to_regclass('b') IS NULL AS missing").single!
            #expect(try tables.decode("missing", as: Bool.self))
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        try await withTestDatabase("migfail") { _, pool in
            let broken = Migration(version: 2, fileName: "0002_broken.sql", sql: "CREATE TABLE b (id int); SELECT 1/0;")
            let error = await #expect(throws: MigrationError.self) {
                try await MigrationRunner(migrations: [first, broken]).run(on: pool)
            }
            #expect(error?.description.contains("0002_broken.sql failed") == true)
            let state = try await pool.query(
                "SELECT to_regclass('b') IS NULL AS no_b, (SELECT count(*) FROM schema_migrations) AS applied"
            ).single!
            #expect(try state.decode("no_b", as: Bool.self))
            #expect(try state.decode("applied", as: Int.self) == 1)
        }
    }

    @Test func concurrentRunnersApplyEachMigrationOnce() async throws {
        try await withTestDatabase("migrace") { database, _ in
            // A migration that would fail if run twice.
            let once = Migration(version: 3, fileName: "0003_once.sql", sql: "CREATE TABLE once (id int); SELECT pg_sleep(0.2);")
            let pools = (0..<4).map { _ in database.pool(size: 1) }
            let reports = try await withThrowingTaskGroup(of: MigrationRunner.Report.self) { group in
                for pool in pools {
                    group.addTask { try await MigrationRunner(migrations: [first, second, once]).run(on: pool) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for pool in pools { await pool.shutdown() }
            #expect(reports.map(\.applied.count).reduce(0, +) == 3)
            #expect(reports.filter { !$0.applied.isEmpty }.count == 1)
        }
    }

    @Test func loadsTheRepositoryMigrationsInOrder() throws {
        let migrations = try Migration.load(from: packageRoot.appendingPathComponent("sql/migrations"))
        #expect(!migrations.isEmpty)
        #expect(migrations.map(\.version) == migrations.map(\.version).sorted())
        #expect(migrations.first?.version == 1)
    }

    @Test func rejectsBadlyNamedFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("satang-mig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("SELECT 1;".utf8).write(to: directory.appendingPathComponent("1_short.sql"))
        #expect(throws: MigrationError.badFileName("1_short.sql")) { try Migration.load(from: directory) }
    }
}
