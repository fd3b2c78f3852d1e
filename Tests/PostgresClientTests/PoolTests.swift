import Foundation
import PostgresClient
import SatangTestSupport
import Testing

/// The pool lends at most its size, makes waiters time out clearly, and survives a database restart.
@Suite struct PoolTests {
    @Test func lendsAtMostItsSize() async throws {
        let database = try await TestDatabase.create("poolsize")
        var configuration = database.configuration
        configuration.applicationName = "pool-size-\(database.name)"
        let pool = PostgresPool(configuration: .init(connection: configuration, size: 3, acquireTimeout: .seconds(30)))
        let inUse = Locked((now: 0, most: 0))
        let serverSessions = Locked(0)
        let applicationName = configuration.applicationName
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    try await pool.withConnection { connection in
                        inUse.withLock {
                            $0.now += 1
                            $0.most = max($0.most, $0.now)
                        }
                        let sessions: Int = try connection.query(
                            "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1::text",
                            [.string(applicationName)]
                        ).single!.decode("n")
                        serverSessions.withLock { $0 = max($0, sessions) }
                        // Long enough that the three connections are lent at once even on a loaded machine.
                        try connection.query("SELECT pg_sleep(0.3)")
                        inUse.withLock { $0.now -= 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(inUse.withLock { $0.most } == 3)
        #expect(serverSessions.withLock { $0 } <= 3)
        #expect(pool.statistics.leased == 0)
        await pool.shutdown()
        try await database.drop()
    }

    @Test func acquireTimesOutWithAClearError() async throws {
        let database = try await TestDatabase.create("pooltimeout")
        let pool = database.pool(size: 1, acquireTimeout: .milliseconds(300))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pool.query("SELECT pg_sleep(4)") }
            try await Task.sleep(for: .milliseconds(200))
            let started = ContinuousClock.now
            let error = await #expect(throws: PostgresPoolError.self) { try await pool.query("SELECT 1") }
            let waited = ContinuousClock.now - started
            #expect(error == .acquireTimeout(poolSize: 1, waitedMilliseconds: 300))
            #expect(error?.description.contains("no database connection became free within 300 ms") == true)
            // It gave up on its own, long before the holder let go (the suite may load the machine).
            #expect(waited >= .milliseconds(250) && waited < .seconds(3))
            try await group.waitForAll()
        }
        // Once the holder is done, the pool serves again.
        #expect(try await pool.query("SELECT 1 AS one").single?.decode("one", as: Int.self) == 1)
        await pool.shutdown()
        try await database.drop()
    }

    @Test func cancelledWaiterLeavesTheLine() async throws {
        try await withTestDatabase("poolcancel", poolSize: 1) { _, pool in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pool.query("SELECT pg_sleep(0.5)") }
                try await Task.sleep(for: .milliseconds(100))
                let waiter = Task { try await pool.query("SELECT 1") }
                try await Task.sleep(for: .milliseconds(100))
                #expect(pool.statistics.waiting == 1)
                waiter.cancel()
                await #expect(throws: CancellationError.self) { try await waiter.value }
                #expect(pool.statistics.waiting == 0)
                try await group.waitForAll()
            }
        }
    }

    @Test func shutdownFailsLaterCallersClearly() async throws {
        let database = try await TestDatabase.create("poolshutdown")
        let pool = database.pool(size: 2)
        try await pool.query("SELECT 1")
        await pool.shutdown()
        await #expect(throws: PostgresPoolError.shutDown) { try await pool.query("SELECT 1") }
        try await database.drop()
    }

    @Test func terminatedConnectionIsReplaced() async throws {
        try await withTestDatabase("poolterminate", poolSize: 1) { database, pool in
            let pid: Int32 = try await pool.withConnection { $0.backendPID }
            let admin = try PostgresConnection.connect(database.configuration)
            try admin.query("SELECT pg_terminate_backend($1::int4)", [.int32(pid)])
            admin.close()
            try await Task.sleep(for: .milliseconds(100))
            let newPID: Int32 = try await pool.withConnection { connection in
                try connection.query("SELECT 1")
                return connection.backendPID
            }
            #expect(newPID != pid)
        }
    }

    @Test func aStatementPreparedBeforeASchemaChangeIsPreparedAgain() async throws {
        try await withTestDatabase("poolstale", poolSize: 1) { _, pool in
            try await pool.withConnection { try $0.executeScript("CREATE TABLE t (a int); INSERT INTO t VALUES (1)") }
            for _ in 0..<3 { #expect(try await pool.query("SELECT * FROM t").columns.count == 1) }
            try await pool.withConnection { try $0.executeScript("ALTER TABLE t ADD COLUMN b int") }
            let rows = try await pool.query("SELECT * FROM t")
            #expect(rows.columns.map(\.name) == ["a", "b"])
        }
    }

    @Test func manyConcurrentQueriesEachGetTheirOwnAnswer() async throws {
        try await withTestDatabase("poolmany", poolSize: 4) { _, pool in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<400 {
                    group.addTask {
                        let rows = try await pool.query("SELECT $1::int8 * 2 AS doubled", [.int64(Int64(index))])
                        #expect(try rows.single?.decode("doubled", as: Int64.self) == Int64(index * 2))
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func recoversAfterTheDatabaseRestarts() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("satang-restart-\(UUID().uuidString.prefix(8))")
        let server = try await EmbeddedPostgres(dataDirectory: directory.appendingPathComponent("pgdata")).start()
        let pool = PostgresPool(configuration: .init(connection: server.configuration, size: 4, acquireTimeout: .seconds(5)))
        do {
            // Open every connection, so that all of them are cut by the restart.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { try await pool.query("SELECT pg_sleep(0.05)") } }
                try await group.waitForAll()
            }
            try await server.restart()
            // Every statement after the restart succeeds: dead connections are replaced before use.
            for _ in 0..<20 {
                #expect(try await pool.query("SELECT 1 AS one").single?.decode("one", as: Int.self) == 1)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { try await pool.query("SELECT pg_sleep(0.02)") } }
                try await group.waitForAll()
            }
            // While the database is down, callers get a connection error, and service resumes after.
            try await server.stop()
            let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
            #expect(error?.isConnectionFailure == true)
            _ = try await EmbeddedPostgres(dataDirectory: directory.appendingPathComponent("pgdata")).start()
            #expect(try await pool.query("SELECT 1 AS one").single?.decode("one", as: Int.self) == 1)
        } catch {
            await pool.shutdown()
            try? await server.stop()
            throw error
        }
        await pool.shutdown()
        try await server.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
