import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Payments
import PostgresClient
import SatangTestSupport
import Testing

/// The server keeps authenticated merchants in memory; a disable made elsewhere (the CLI, another server)
/// must still stop the key within moments, also after the listening connection was lost.
@Suite struct MerchantKeyCacheTests {
    private func status(_ client: some TestClientProtocol, key: String) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/api/v1/payments", method: .get, headers: [HTTPField.Name("X-API-Key")!: key]).status
    }

    /// Waits until the server's listener has its `LISTEN` in place (seen in `pg_stat_activity`), and returns its backend.
    private func listenerBackend(_ pool: PostgresPool, otherThan old: Int32? = nil) async throws -> Int32 {
        for _ in 0..<100 {
            let rows = try await pool.query(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN satang_merchants_changed'")
            if let pid: Int32 = try rows.first?.decode("pid"), pid != old { return pid }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the merchant key listener never started listening")
        return 0
    }

    /// Polls until the key is refused; returns how long that took, or nil when it never was.
    private func refusal(_ client: some TestClientProtocol, key: String) async throws -> Duration? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(3) {
            if try await status(client, key: key) == .unauthorized { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    @Test func aKeyDisabledByAnotherProcessStopsWorkingAtOnce() async throws {
        try await withMigratedTestDatabase("keycache") { _, pool in
            // This registry has no cache, like the CLI's.
            let elsewhere = MerchantRegistry(pool: pool)
            let (_, first) = try await elsewhere.create(MerchantRegistration(code: "FIRST", name: "First", providers: ["KBANK"]))
            let (_, second) = try await elsewhere.create(MerchantRegistration(code: "SECOND", name: "Second", providers: ["KBANK"]))
            let app = buildApplication(settings: ServerSettings(port: 0), pool: pool, logger: Logger(label: "test"))
            try await app.test(.live) { client in
                let listener = try await listenerBackend(pool)
                // Cached now: answered from memory from the second call on.
                #expect(try await status(client, key: first.apiKey) == .ok)
                #expect(try await status(client, key: first.apiKey) == .ok)
                _ = try await elsewhere.disable(code: "FIRST")
                let took = try await refusal(client, key: first.apiKey)
                #expect(took != nil, "a disabled key went on working from the cache")

                // With the listening connection cut, nothing cached may be trusted; it comes back by itself.
                #expect(try await status(client, key: second.apiKey) == .ok)
                _ = try await pool.query("SELECT pg_terminate_backend($1::int4)", [.int32(listener)])
                _ = try await elsewhere.disable(code: "SECOND")
                #expect(try await refusal(client, key: second.apiKey) != nil, "a disabled key worked while the listener was away")
                _ = try await listenerBackend(pool, otherThan: listener)
            }
        }
    }
}
