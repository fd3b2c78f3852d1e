import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PostgresClient
import SatangTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `satang serve` killed with SIGKILL while payments are being registered, submitted and confirmed:
/// after a restart every payment the clients asked for exists once, reaches SUCCEEDED, and has exactly one
/// ledger entry and one receipt, with receipt numbers gap-free and the ledger's invariants intact.
@Suite struct CrashRecoveryTests {
    static let total = 240

    @Test func aServerKilledMidWayLosesAndDoublesNothing() async throws {
        try await withTestDatabase("crash") { database, pool in
            let (created, output) = try await SatangProcess.run([
                "merchant", "create", "--code", "CRASH", "--name", "Crash Test Co", "--providers", "KBANK",
                "--default-provider", "KBANK", "--fee-percent", "1.50", "--json", "--database-url", database.url,
            ])
            #expect(created == 0, "\(output)")
            let merchant = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            let apiKey = try #require(merchant["apiKey"] as? String)
            let port = freeTCPPort()
            // The webhook secret is fixed so that the restarted server accepts the first one's queued webhooks.
            let environment = ["SATANG_PROVIDER_SECRET_KBANK": "crash-test-secret"]
            let arguments = ["serve", "--sandbox", "--port", String(port), "--submission-lease-seconds", "2",
                             "--database-url", database.url]

            let first = try SatangProcess.start(arguments, environment: environment)
            try await waitUntilHealthy(port: port)
            let answered = Locked(0)
            let statusesAtKill = Locked<[String: Int]>([:])
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Four clients register every payment, retrying with the same key until they get a 202 —
                // through the crash and the restart, as a careful client does.
                for client in 0..<4 {
                    group.addTask {
                        for index in stride(from: client, to: Self.total, by: 4) {
                            try await registerUntilAccepted(port: port, apiKey: apiKey, index: index)
                            answered.withLock { $0 += 1 }
                        }
                    }
                }
                group.addTask {
                    // Kill once some payments are done and many are not.
                    while try await count(pool, "status = 'SUCCEEDED'") < 20 { try await Task.sleep(for: .milliseconds(10)) }
                    first.signal(SIGKILL)
                    _ = await first.waitForExit(timeout: .seconds(10))
                    let rows = try await pool.query("SELECT status::text AS status, count(*) AS n FROM payments GROUP BY 1")
                    let statuses = try Dictionary(uniqueKeysWithValues: rows.map {
                        (try $0.decode("status", as: String.self), try $0.decode("n", as: Int.self))
                    })
                    statusesAtKill.withLock { $0 = statuses }
                    try await Task.sleep(for: .milliseconds(300))
                    let second = try SatangProcess.start(arguments, environment: environment)
                    defer { second.signal(SIGTERM) }
                    try await waitUntilHealthy(port: port)
                    let deadline = ContinuousClock.now + .seconds(90)
                    while try await count(pool, "status = 'SUCCEEDED'") < Self.total, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    second.signal(SIGTERM)
                    _ = await second.waitForExit(timeout: .seconds(20))
                }
                try await group.waitForAll()
            }

            let atKill = statusesAtKill.value
            let unfinishedAtKill = atKill.filter { $0.key != "SUCCEEDED" }.values.reduce(0, +)
                + (Self.total - atKill.values.reduce(0, +))
            #expect(unfinishedAtKill > 0, "the kill must land while work is under way: \(atKill)")
            #expect(answered.value == Self.total)
            #expect(try await count(pool, "true") == Self.total, "one payment per sourcePaymentId, none doubled")
            #expect(try await count(pool, "status = 'SUCCEEDED'") == Self.total, "every payment reached SUCCEEDED")
            let ledger = try await pool.query(
                """
                SELECT count(*) AS entries, count(DISTINCT reference) AS payments FROM ledger_entries
                 WHERE kind = 'payment.succeeded'
                """).single!
            #expect(try ledger.decode("entries", as: Int.self) == Self.total)
            #expect(try ledger.decode("payments", as: Int.self) == Self.total)
            let receipts = try await pool.query(
                "SELECT count(*) AS n, min(sequence) AS low, max(sequence) AS high, count(DISTINCT payment_id) AS paid FROM receipts"
            ).single!
            #expect(try receipts.decode("n", as: Int.self) == Self.total)
            #expect(try receipts.decode("paid", as: Int.self) == Self.total)
            #expect(try receipts.decode("low", as: Int.self) == 1)
            #expect(try receipts.decode("high", as: Int.self) == Self.total, "receipt numbers have no gaps")
            let invariants = try await LedgerInvariants.check(pool)
            #expect(invariants.hold, "\(invariants)")
            #expect(invariants.entries == Self.total)
        }
    }

    private func count(_ pool: PostgresPool, _ condition: String) async throws -> Int {
        try await pool.query("SELECT count(*) AS n FROM payments WHERE \(condition)").single!.decode("n")
    }

    private func waitUntilHealthy(port: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let (status, _) = try? await httpGet(port: port, path: "/api/v1/health"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSetupError("satang serve did not become healthy on port \(port)")
    }

    private func registerUntilAccepted(port: Int, apiKey: String, index: Int) async throws {
        let body = #"{"sourceId":"CRASH","sourcePaymentId":"crash-\#(index)","amount":\#(100 + index).25,"currency":"THB"}"#
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/payments")
            request.method = .POST
            request.headers.add(name: "X-API-Key", value: apiKey)
            request.headers.add(name: "X-Idempotency-Key", value: "crash-key-\(index)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(10)) {
                let status = response.status.code
                _ = try? await response.body.collect(upTo: 1 << 20)
                if status == 202 { return }
                // 409 IDEMPOTENCY_KEY_IN_USE can only be transient here; anything else is a failure.
                guard status == 409 else { throw TestSetupError("registration \(index) answered HTTP \(status)") }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSetupError("registration \(index) never accepted")
    }
}
