import Foundation
import PostgresClient

/// A Thai bank as the gateway names it (seed 001's bank-code table), with its Thai name.
public struct Bank: Sendable, Hashable {
    /// Stable id: the bank's place in seed 001's table.
    public var id: Int
    /// e.g. `KBANK`.
    public var code: String
    /// The three-digit interbank code, e.g. `004`.
    public var intCode: String
    public var name: String
    public var nameTH: String
    public var active: Bool

    /// The logo, at the address pattern seed 001 documents.
    public var logoURL: String { "https://white-lable.sgp1.cdn.digitaloceanspaces.com/banks-logos/\(code).png" }
}

/// The banks customers can deposit from and be paid out to.
public struct BankDirectory: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    /// One page of banks in seed 001's order; `search` matches the code, the interbank code, or the English
    /// or Thai name, ignoring case.
    public func list(search: String?, page: Int, limit: Int) async throws -> (banks: [Bank], total: Int) {
        let filter = "WHERE $1::text IS NULL OR code ILIKE $1 OR int_code = $2::text OR name ILIKE $1 OR name_th ILIKE $1"
        let pattern = search.map { "%" + Self.escapeLike($0) + "%" }
        let parameters: [PostgresValue] = [.optional(pattern, PostgresValue.string), .optional(search, PostgresValue.string)]
        let total: Int = try await pool.query("SELECT count(*) AS n FROM banks \(filter)", parameters).single!.decode("n")
        let rows = try await pool.query(
            "SELECT \(Self.columns) FROM banks \(filter) ORDER BY position LIMIT $3::int8 OFFSET $4::int8",
            parameters + [.int64(Int64(limit)), .int64(Int64((page - 1) * limit))])
        return (try rows.map(Self.bank), total)
    }

    /// Every active bank code, for validating requests.
    public func activeCodes() async throws -> Set<String> {
        Set(try await pool.query("SELECT code FROM banks WHERE active").map { try $0.decode("code", as: String.self) })
    }

    static let columns = "position, code, int_code, name, name_th, active"

    static func bank(_ row: PostgresRow) throws -> Bank {
        Bank(id: try row.decode("position"), code: try row.decode("code"), intCode: try row.decode("int_code"),
             name: try row.decode("name"), nameTH: try row.decode("name_th"), active: try row.decode("active"))
    }

    /// `%`, `_` and `\` taken literally in an ILIKE pattern.
    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}
