import Foundation
import PostgresClient
import SatangTestSupport
import Testing

/// Every parameter type goes to the server and comes back unchanged, as a literal and through a table.
@Suite struct ValueRoundTripTests {
    static let strings = ["", "plain", "ภาษาไทย บาท ฿", "emoji 💸", "quote ' \" back\\slash", "NULL", "{a,b}", "comma,here"]
    static let integers: [Int64] = [0, 1, -1, Int64.max, Int64.min, 1_000_000_000_000]

    @Test func integersRoundTrip() async throws {
        try await withTestDatabase("ints") { _, pool in
            for value in Self.integers {
                let row = try await pool.query("SELECT $1::int8 AS v", [.int64(value)]).single!
                #expect(try row.decode("v", as: Int64.self) == value)
            }
            let int32 = try await pool.query("SELECT $1::int4 AS v", [.int32(Int32.min)]).single!
            #expect(try int32.decode("v", as: Int32.self) == Int32.min)
        }
    }

    @Test(arguments: strings) func stringsRoundTrip(_ value: String) async throws {
        try await withTestDatabase("str") { _, pool in
            let row = try await pool.query("SELECT $1::text AS v, length($1::text) AS n", [.string(value)]).single!
            #expect(try row.decode("v", as: String.self) == value)
            #expect(try row.decode("n", as: Int.self) == value.count)
        }
    }

    @Test func scalarTypesRoundTrip() async throws {
        try await withTestDatabase("scalars") { _, pool in
            let date = Date(timeIntervalSince1970: 1_795_000_000.123456)
            let uuid = UUID()
            let bytes: [UInt8] = Array(0...255)
            let row = try await pool.query(
                """
                SELECT $1::bool AS yes, $2::bool AS no, $3::float8 AS ratio, $4::timestamptz AS at,
                       $5::uuid AS id, $6::bytea AS raw, $7::jsonb AS doc, $8::bytea AS empty_raw
                """,
                [.bool(true), .bool(false), .double(0.1), .date(date), .uuid(uuid), .bytes(bytes),
                 .json(#"{"amount": "1000.50", "ไทย": [1, 2]}"#), .bytes([])]
            ).single!
            #expect(try row.decode("yes", as: Bool.self) == true)
            #expect(try row.decode("no", as: Bool.self) == false)
            #expect(try row.decode("ratio", as: Double.self) == 0.1)
            let back = try row.decode("at", as: Date.self)
            #expect(abs(back.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_001)
            #expect(try row.decode("id", as: UUID.self) == uuid)
            #expect(try row.decode("raw", as: [UInt8].self) == bytes)
            #expect(try row.decode("empty_raw", as: [UInt8].self) == [])
            #expect(try row.decode("doc", as: String.self) == #"{"amount": "1000.50", "ไทย": [1, 2]}"#)
        }
    }

    @Test func timestampsKeepMicrosecondsAndOffsets() async throws {
        try await withTestDatabase("time") { _, pool in
            let row = try await pool.query(
                "SELECT '2026-11-24 19:30:47.654321+07'::timestamptz AS bangkok, '1999-12-31 23:59:59'::timestamp AS naive"
            ).single!
            let bangkok = try row.decode("bangkok", as: Date.self)
            #expect(bangkok == Date(timeIntervalSince1970: 1_795_523_447.654321))
            #expect(try row.decode("naive", as: Date.self) == Date(timeIntervalSince1970: 946_684_799))
        }
    }

    @Test func nullsRoundTripAsOptionals() async throws {
        try await withTestDatabase("nulls") { _, pool in
            let row = try await pool.query(
                "SELECT $1::int8 AS n, $2::text AS s, $3::timestamptz AS d, $4::uuid AS u",
                [.null, .null, .null, .optional(nil as UUID?, PostgresValue.uuid)]
            ).single!
            #expect(try row.decode("n", as: Int64?.self) == nil)
            #expect(try row.decode("s", as: String?.self) == nil)
            #expect(try row.decode("d", as: Date?.self) == nil)
            #expect(try row.decode("u", as: UUID?.self) == nil)
            #expect(row.isNull("s"))
            let present = try await pool.query("SELECT $1::int8 AS n", [.int64(7)]).single!
            #expect(try present.decode("n", as: Int64?.self) == 7)
        }
    }

    @Test func arraysRoundTrip() async throws {
        try await withTestDatabase("arrays") { _, pool in
            let row = try await pool.query(
                "SELECT $1::int8[] AS ints, $2::text[] AS texts, $3::int8[] AS none, $4::text[] AS no_texts",
                [.int64Array(Self.integers), .stringArray(Self.strings), .int64Array([]), .stringArray([])]
            ).single!
            #expect(try row.decode("ints", as: [Int64].self) == Self.integers)
            #expect(try row.decode("texts", as: [String].self) == Self.strings)
            #expect(try row.decode("none", as: [Int64].self) == [])
            #expect(try row.decode("no_texts", as: [String].self) == [])
            // Batch statements unnest arrays into rows.
            let rows = try await pool.query(
                "SELECT * FROM unnest($1::int8[], $2::text[]) AS t(n, s) ORDER BY n",
                [.int64Array([2, 1]), .stringArray(["two", "one"])])
            #expect(try rows.map { try $0.decode("s", as: String.self) } == ["one", "two"])
            // A nil element is SQL NULL; the text "NULL" stays text.
            let nulls = try await pool.query(
                "SELECT s IS NULL AS missing, s FROM unnest($1::text[]) WITH ORDINALITY AS t(s, n) ORDER BY n",
                [.stringArray(["a", nil, "NULL"])])
            #expect(try nulls.map { try $0.decode("missing", as: Bool.self) } == [false, true, false])
            #expect(try nulls.map { try $0.decode("s", as: String?.self) } == ["a", nil, "NULL"])
        }
    }

    @Test func valuesSurviveStorageInATable() async throws {
        try await withTestDatabase("table") { _, pool in
            try await pool.withConnection { connection in
                try connection.executeScript(
                    "CREATE TABLE sample (id uuid PRIMARY KEY, amount bigint, note text, at timestamptz, tags text[], raw bytea, meta jsonb)")
            }
            let id = UUID()
            let at = Date(timeIntervalSince1970: 1_700_000_000.5)
            try await pool.query(
                "INSERT INTO sample VALUES ($1::uuid, $2::int8, $3::text, $4::timestamptz, $5::text[], $6::bytea, $7::jsonb)",
                [.uuid(id), .int64(Int64.max), .string("ค่าธรรมเนียม"), .date(at), .stringArray(["a\"b", "NULL"]),
                 .bytes([0, 1, 255]), .json("[]")])
            let row = try await pool.query("SELECT * FROM sample WHERE id = $1::uuid", [.uuid(id)]).single!
            #expect(try row.decode("amount", as: Int64.self) == Int64.max)
            #expect(try row.decode("note", as: String.self) == "ค่าธรรมเนียม")
            #expect(try row.decode("at", as: Date.self) == at)
            #expect(try row.decode("tags", as: [String].self) == ["a\"b", "NULL"])
            #expect(try row.decode("raw", as: [UInt8].self) == [0, 1, 255])
            #expect(try row.decode("meta", as: String.self) == "[]")
        }
    }

    @Test func numericSumsOfBigintReadAsInt64() async throws {
        try await withTestDatabase("numeric") { _, pool in
            let row = try await pool.query(
                "SELECT sum(x) AS total FROM unnest($1::int8[]) AS x", [.int64Array([Int64.max, -5, 5])]
            ).single!
            #expect(try row.decode("total", as: Int64.self) == Int64.max)
        }
    }
}
