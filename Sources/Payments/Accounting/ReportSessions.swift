import Foundation
import PostgresClient

/// Sessions of the report pages: a random token in the browser's cookie, its hash here, eight hours long.
public struct ReportSessions: Sendable {
    let pool: PostgresPool
    public static let lifetime: Duration = .seconds(8 * 3600)

    public init(pool: PostgresPool) { self.pool = pool }

    /// A new session for `accountant`; the token is what the cookie carries.
    public func open(for accountant: Accountant) async throws -> String {
        let token = APICredentials.generate().apiSecret  // 32 random bytes, URL-safe
        try await pool.query(
            """
            INSERT INTO report_sessions (token_hash, accountant_id, expires_at)
            VALUES ($1::bytea, $2::int8, now() + make_interval(secs => $3::int8))
            """, [.bytes(APICredentials.hash(apiKey: token)), .int64(accountant.id), .int64(Self.lifetime.components.seconds)])
        return token
    }

    /// The accountant of a live session (not expired, accountant not disabled).
    public func accountant(token: String) async throws -> Accountant? {
        guard !token.isEmpty, token.count <= 256 else { return nil }
        return try await pool.query(
            """
            SELECT a.id, a.name, a.api_key_prefix, a.created_at FROM report_sessions s JOIN accountants a ON a.id = s.accountant_id
             WHERE s.token_hash = $1::bytea AND s.expires_at > now() AND a.disabled_at IS NULL
            """, [.bytes(APICredentials.hash(apiKey: token))]
        ).first.map(Accountants.accountant)
    }

    /// Ends a session (sign out); expired ones are never found, and the retention sweeper removes them.
    public func close(token: String) async throws {
        try await pool.query("DELETE FROM report_sessions WHERE token_hash = $1::bytea", [.bytes(APICredentials.hash(apiKey: token))])
    }
}
