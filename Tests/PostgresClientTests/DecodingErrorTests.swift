import Foundation
import PostgresClient
import SatangTestSupport
import Testing

/// Reading a column as the wrong type, or a NULL as a non-optional, fails with an error naming the column.
@Suite struct DecodingErrorTests {
    @Test func nullIntoNonOptionalNamesTheColumn() async throws {
        try await withTestDatabase("decnull") { _, pool in
            let row = try await pool.query("SELECT NULL::int8 AS balance").single!
            let error = #expect(throws: PostgresDecodingError.self) { try row.decode("balance", as: Int64.self) }
            #expect(error?.column == "balance")
            #expect(error?.reason == .unexpectedNull)
            #expect(error?.description.contains("\"balance\" is NULL") == true)
        }
    }

    @Test func typeMismatchNamesColumnAndType() async throws {
        try await withTestDatabase("decmis") { _, pool in
            let row = try await pool.query("SELECT 42::int4 AS posted_at, 'x'::text AS amount").single!
            let error = #expect(throws: PostgresDecodingError.self) { try row.decode("posted_at", as: Date.self) }
            #expect(error?.reason == .typeMismatch(actual: "integer"))
            let text = #expect(throws: PostgresDecodingError.self) { try row.decode("amount", as: Int64.self) }
            #expect(text?.description.contains("column \"amount\" has PostgreSQL type text") == true)
            let missing = #expect(throws: PostgresDecodingError.self) { try row.decode("nope", as: Int64.self) }
            #expect(missing?.reason == .noSuchColumn)
        }
    }

    @Test func fractionalNumericDoesNotSilentlyTruncate() async throws {
        try await withTestDatabase("decnum") { _, pool in
            let row = try await pool.query("SELECT 10.5::numeric AS amount").single!
            let error = #expect(throws: PostgresDecodingError.self) { try row.decode("amount", as: Int64.self) }
            #expect(error?.column == "amount")
        }
    }
}
