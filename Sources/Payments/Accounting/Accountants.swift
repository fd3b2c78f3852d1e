import Foundation
import PostgresClient

/// Someone who reads every book and changes nothing: the accountants' role for reports and exports.
public struct Accountant: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var apiKeyPrefix: String
    public var createdAt: Date
}

/// Who a report request is from, and so which books it may read.
public enum ReportReader: Sendable, Equatable {
    /// Every book.
    case accountant(Accountant)
    /// Only the merchant's own book.
    case merchant(Merchant)

    /// Whether this reader may read `bookID` (`nil`: every book at once, for accountants only).
    public func mayRead(bookID: Int64?) -> Bool {
        switch self {
        case .accountant: true
        case .merchant(let merchant): bookID == merchant.bookID
        }
    }
}

/// Accountants' API keys: created by an operator, looked up by hash.
public struct Accountants: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    /// A new accountant and its API key, shown once.
    public func create(name: String) async throws -> (Accountant, apiKey: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard PlainText.fits(trimmed, 1...200) else { throw MerchantError.invalid(["name": "1 to 200 characters"]) }
        let key = "ak_satang_" + APICredentials.generate().apiKey.dropFirst("sk_satang_".count)
        let row = try await pool.query(
            """
            INSERT INTO accountants (name, api_key_hash, api_key_prefix) VALUES ($1::text, $2::bytea, $3::text)
            RETURNING id, name, api_key_prefix, created_at
            """, [.string(trimmed), .bytes(APICredentials.hash(apiKey: key)), .string(APICredentials.prefix(of: key))]).single!
        return (try Self.accountant(row), key)
    }

    /// The accountant with this key, unless it is unknown or disabled.
    public func authenticate(apiKey: String) async throws -> Accountant? {
        guard !apiKey.isEmpty, apiKey.count <= 256 else { return nil }
        return try await pool.query(
            "SELECT id, name, api_key_prefix, created_at FROM accountants WHERE api_key_hash = $1::bytea AND disabled_at IS NULL",
            [.bytes(APICredentials.hash(apiKey: apiKey))]
        ).first.map(Self.accountant)
    }

    static func accountant(_ row: PostgresRow) throws -> Accountant {
        Accountant(id: try row.decode("id"), name: try row.decode("name"), apiKeyPrefix: try row.decode("api_key_prefix"),
                   createdAt: try row.decode("created_at"))
    }
}
