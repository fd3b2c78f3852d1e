import Foundation

/// What tells the time to the token cache; tests give it a clock they move.
public protocol KTBClock: Sendable {
    func now() -> Date
}

/// The wall clock.
public struct SystemKTBClock: KTBClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// An access token and the refresh token that came with it, with when each stops being valid.
struct KTBTokens: Sendable, Equatable {
    var accessToken: String
    var accessExpiresAt: Date
    var refreshToken: String
    var refreshExpiresAt: Date
}

/// Keeps KTB's access token and reuses it until shortly before `expires_in`; then refreshes it with the
/// refresh token while that is still valid, and fetches a fresh one when refreshing fails or the refresh
/// token has run out. Concurrent callers share one request to the bank.
actor KTBTokenCache {
    private let clock: any KTBClock
    /// How long before an expiry a token is no longer used: a request must not arrive with a dead token.
    private let margin: TimeInterval
    private var tokens: KTBTokens?
    private var inFlight: Task<KTBTokens, any Error>?

    init(clock: any KTBClock, margin: TimeInterval = 60) {
        self.clock = clock
        self.margin = margin
    }

    /// A usable access token; `fetch` gets new tokens with the client credentials, `refresh` with a refresh token.
    func accessToken(
        fetch: @escaping @Sendable () async throws -> KTBTokens, refresh: @escaping @Sendable (String) async throws -> KTBTokens
    ) async throws -> String {
        let now = clock.now()
        if let tokens, now < tokens.accessExpiresAt.addingTimeInterval(-margin) { return tokens.accessToken }
        if let inFlight { return try await inFlight.value.accessToken }
        let current = tokens
        let margin = self.margin
        let task = Task {
            if let current, now < current.refreshExpiresAt.addingTimeInterval(-margin) {
                do { return try await refresh(current.refreshToken) } catch { /* a fresh token below */ }
            }
            return try await fetch()
        }
        inFlight = task
        defer { inFlight = nil }
        let fresh = try await task.value
        tokens = fresh
        return fresh.accessToken
    }

    /// Forgets the tokens (the bank said `TK001`), so the next call fetches new ones.
    func invalidate() {
        tokens = nil
    }
}
