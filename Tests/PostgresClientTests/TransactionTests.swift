import Foundation
import PostgresClient
import SatangTestSupport
import Testing

/// A transaction commits when its body returns, rolls back when it throws, and runs again on 40001/40P01.
@Suite struct TransactionTests {
    struct Refusal: Error {}

    private func makeCounter(_ pool: PostgresPool) async throws {
        try await pool.withConnection {
            try $0.executeScript("CREATE TABLE counter (id int PRIMARY KEY, value bigint NOT NULL); INSERT INTO counter VALUES (1, 0)")
        }
    }

    private func counterValue(_ pool: PostgresPool) async throws -> Int64 {
        try await pool.query("SELECT value FROM counter WHERE id = 1").single!.decode("value")
    }

    @Test func commitsWhenTheBodyReturns() async throws {
        try await withTestDatabase("txcommit") { _, pool in
            try await makeCounter(pool)
            let result = try await pool.transaction { connection in
                try connection.query("UPDATE counter SET value = value + 5 WHERE id = 1")
                return "done"
            }
            #expect(result == "done")
            #expect(try await counterValue(pool) == 5)
        }
    }

    @Test func rollsBackWhenTheBodyThrows() async throws {
        try await withTestDatabase("txrollback") { _, pool in
            try await makeCounter(pool)
            await #expect(throws: Refusal.self) {
                try await pool.transaction { connection in
                    try connection.query("UPDATE counter SET value = value + 5 WHERE id = 1")
                    throw Refusal()
                }
            }
            #expect(try await counterValue(pool) == 0)
        }
    }

    @Test func aSwallowedStatementErrorCannotCommit() async throws {
        try await withTestDatabase("txswallow") { _, pool in
            try await makeCounter(pool)
            let error = await #expect(throws: PostgresError.self) {
                try await pool.transaction { connection in
                    try connection.query("UPDATE counter SET value = value + 5 WHERE id = 1")
                    _ = try? connection.query("SELECT 1/0")
                }
            }
            #expect(error?.sqlState == "25P02")
            #expect(try await counterValue(pool) == 0)
        }
    }

    @Test func retriesTheWholeBodyOnAForcedSerializationFailure() async throws {
        try await withTestDatabase("txretry") { _, pool in
            try await makeCounter(pool)
            let attempts = Locked(0)
            try await pool.transaction(isolation: .serializable) { connection in
                let attempt = attempts.withLock { count in
                    count += 1
                    return count
                }
                try connection.query("UPDATE counter SET value = value + 1 WHERE id = 1")
                if attempt < 3 {
                    try connection.query("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'serialization_failure'; END $$")
                }
            }
            #expect(attempts.withLock { $0 } == 3)
            #expect(try await counterValue(pool) == 1, "the failed attempts must leave nothing behind")
        }
    }

    @Test func givesUpAfterMaxAttempts() async throws {
        try await withTestDatabase("txgiveup") { _, pool in
            let attempts = Locked(0)
            let error = await #expect(throws: PostgresError.self) {
                try await pool.transaction(maxAttempts: 3) { connection in
                    attempts.withLock { $0 += 1 }
                    try connection.query("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'deadlock_detected'; END $$")
                }
            }
            #expect(error?.isDeadlock == true)
            #expect(attempts.withLock { $0 } == 3)
        }
    }

    @Test func concurrentSerializableIncrementsAllLand() async throws {
        try await withTestDatabase("txrace", poolSize: 8) { _, pool in
            try await makeCounter(pool)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await pool.transaction(isolation: .serializable, maxAttempts: 50) { connection in
                            let value: Int64 = try connection.query("SELECT value FROM counter WHERE id = 1")
                                .single!.decode("value")
                            try connection.query(
                                "UPDATE counter SET value = $1::int8 WHERE id = 1", [.int64(value + 1)])
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await counterValue(pool) == 40)
        }
    }
}
