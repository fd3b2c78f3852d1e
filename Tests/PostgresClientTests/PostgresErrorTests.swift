import Foundation
import PostgresClient
import SatangTestSupport
import Testing

/// Server errors arrive with their SQLSTATE, message, detail and constraint, so callers can act on them.
@Suite struct PostgresErrorTests {
    @Test func uniqueViolationCarriesConstraintAndDetail() async throws {
        try await withTestDatabase("uniq") { _, pool in
            try await pool.withConnection {
                try $0.executeScript("CREATE TABLE receipt (number text CONSTRAINT receipt_number_key UNIQUE)")
            }
            try await pool.query("INSERT INTO receipt VALUES ($1::text)", ["RC2026-000001"])
            let error = await #expect(throws: PostgresError.self) {
                try await pool.query("INSERT INTO receipt VALUES ($1::text)", ["RC2026-000001"])
            }
            #expect(error?.sqlState == "23505")
            #expect(error?.isUniqueViolation == true)
            #expect(error?.constraint == "receipt_number_key")
            #expect(error?.detail?.contains("RC2026-000001") == true)
            #expect(error?.table == "receipt")
        }
    }

    @Test(arguments: [
        ("SELECT 1/0", "22012"),
        ("SELEC 1", "42601"),
        ("SELECT * FROM no_such_table", "42P01"),
        ("SELECT 'abc'::int8", "22P02"),
        ("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'serialization_failure'; END $$", "40001"),
        ("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'deadlock_detected'; END $$", "40P01"),
    ])
    func errorsCarryTheirSQLState(_ sql: String, _ sqlState: String) async throws {
        try await withTestDatabase("state") { _, pool in
            let error = await #expect(throws: PostgresError.self) { try await pool.query(sql) }
            #expect(error?.sqlState == sqlState)
            #expect(error?.isSerializationFailure == (sqlState == "40001"))
            #expect(error?.isDeadlock == (sqlState == "40P01"))
            // The connection stays usable after an error.
            let one = try await pool.query("SELECT 1 AS one").single?.decode("one", as: Int.self)
            #expect(one == 1)
        }
    }

    @Test func statementTimeoutIsConfigurable() async throws {
        let database = try await TestDatabase.create("timeout")
        var configuration = database.configuration
        configuration.statementTimeout = .milliseconds(200)
        let pool = PostgresPool(configuration: .init(connection: configuration, size: 1))
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT pg_sleep(5)") }
        #expect(error?.isQueryCanceled == true)
        await pool.shutdown()
        try await database.drop()
    }

    @Test func nulCharacterIsRefusedBeforeSending() async throws {
        try await withTestDatabase("nul") { _, pool in
            let error = await #expect(throws: PostgresError.self) {
                try await pool.query("SELECT $1::text", [.string("a\u{0}b")])
            }
            #expect(error?.message.contains("NUL") == true)
            let inArray = await #expect(throws: PostgresError.self) {
                try await pool.query("SELECT $1::text[]", [.stringArray(["fine", "a\u{0}b"])])
            }
            #expect(inArray?.message.contains("$1 has an element with a NUL") == true)
        }
    }

    @Test func connectionFailureIsClassEight() async throws {
        let pool = PostgresPool(
            configuration: .init(
                connection: PostgresConfiguration(connectionString: "postgres://nobody@127.0.0.1:1/none"), size: 1))
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error?.isConnectionFailure == true)
        await pool.shutdown()
    }
}
