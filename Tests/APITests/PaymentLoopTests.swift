import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import NIOCore
import Payments
import PostgresClient
import SatangTestSupport
import Testing

/// The whole loop on one machine: register → dispatcher submits to the sandbox bank → the sandbox's
/// signed webhook → SUCCEEDED with ledger entry and receipt. Also refusals, expiry and crash recovery.
@Suite struct PaymentLoopTests {
    private func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any] ?? [:]
    }

    @Test func paymentsWalkToTheirFinalStatusThroughTheSandbox() async throws {
        try await withMigratedTestDatabase("payloop", poolSize: 8) { _, pool in
            let (merchant, credentials) = try await MerchantRegistry(pool: pool).create(MerchantRegistration(
                code: "LOOP", name: "Loop Co.", providers: ["KBANK", "SCB"], defaultProvider: "KBANK", feePercent: "1.00"))
            let app = buildApplication(settings: ServerSettings(port: 0, sandbox: true), pool: pool, logger: Logger(label: "test"))
            try await app.test(.live) { client in
                let headers: HTTPFields = [HTTPField.Name("X-API-Key")!: credentials.apiKey]
                var ids: [String: String] = [:]
                for (name, metadata) in [("ok", "{}"), ("fail", #"{"sandbox":"fail"}"#), ("refuse", #"{"sandbox":"refuse"}"#)] {
                    var fields = headers
                    fields[HTTPField.Name("X-Idempotency-Key")!] = name
                    let body = #"{"sourceId":"LOOP","sourcePaymentId":"\#(name)","amount":500,"currency":"THB","metadata":\#(metadata)}"#
                    let created = try await client.execute(uri: "/api/v1/payments", method: .post, headers: fields, body: ByteBuffer(string: body))
                    ids[name] = try json(created.body)["id"] as? String
                }
                func status(_ name: String) async throws -> String? {
                    let shown = try await client.execute(uri: "/api/v1/payments/\(ids[name]!)", method: .get, headers: headers)
                    return try json(shown.body)["status"] as? String
                }
                let expected = ["ok": "SUCCEEDED", "fail": "FAILED_BUSINESS", "refuse": "FAILED_BUSINESS"]
                let deadline = ContinuousClock.now + .seconds(20)
                while ContinuousClock.now < deadline {
                    var done = true
                    for (name, want) in expected where try await status(name) != want { done = false }
                    if done { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                for (name, want) in expected { #expect(try await status(name) == want, "\(name)") }

                let events = try await client.execute(uri: "/api/v1/payments/\(ids["ok"]!)/events", method: .get, headers: headers)
                let path = (try json(events.body)["events"] as? [[String: Any]])?.compactMap { $0["to"] as? String }
                #expect(path == ["NOT_SENT", "SUBMITTING", "PENDING", "SUCCEEDED"])
                let available = try await Ledger(pool: pool).account(book: merchant.bookID, code: AccountCode.merchantAvailable)
                #expect(available.normalBalance.decimalText == "495.00", "only the successful payment is booked")
                let receipts: Int = try await pool.query("SELECT count(*) AS n FROM receipts").single!.decode("n")
                #expect(receipts == 1)
                let receipt = try await client.execute(uri: "/api/v1/payments/\(ids["ok"]!)/receipt", method: .get, headers: headers)
                let document = try json(receipt.body)
                #expect((document["number"] as? String)?.hasSuffix("-000001") == true)
                #expect(String(buffer: receipt.body).contains(#""amount":500.00"#))
                #expect(String(buffer: receipt.body).contains(#""base":467.29"#) && String(buffer: receipt.body).contains(#""vat":32.71"#))
                var htmlHeaders = headers
                htmlHeaders[.accept] = "text/html"
                let page = try await client.execute(uri: "/api/v1/payments/\(ids["ok"]!)/receipt", method: .get, headers: htmlHeaders)
                #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: page.body).contains("467.29") && String(buffer: page.body).contains("<script") == false)
                let none = try await client.execute(uri: "/api/v1/payments/\(ids["fail"]!)/receipt", method: .get, headers: headers)
                #expect(try json(none.body)["errorCode"] as? String == "RECEIPT_NOT_ISSUED")

                // The ledger's invariants hold at the end: balanced entries, balances equal to their postings.
                let invariants = try await pool.query(
                    """
                    SELECT (SELECT count(*) FROM (SELECT entry_id FROM ledger_postings GROUP BY entry_id, currency
                                                   HAVING sum(amount) <> 0) AS u) AS unbalanced,
                           (SELECT count(*) FROM ledger_accounts a WHERE a.balance <> coalesce(
                                (SELECT sum(amount) FROM ledger_postings p WHERE p.account_id = a.id), 0)) AS drifted,
                           (SELECT count(*) FROM payments p WHERE p.status = 'SUCCEEDED' AND NOT EXISTS (
                                SELECT 1 FROM ledger_entries e WHERE e.kind = 'payment.succeeded' AND e.reference = p.id::text)) AS unbooked
                    """).single!
                #expect(try invariants.decode("unbalanced", as: Int.self) == 0)
                #expect(try invariants.decode("drifted", as: Int.self) == 0)
                #expect(try invariants.decode("unbooked", as: Int.self) == 0, "every SUCCEEDED payment has its ledger entry")
            }
        }
    }

    @Test func expiredPaymentsAndInterruptedSubmissionsAreNotLost() async throws {
        try await withMigratedTestDatabase("payrecover", poolSize: 6) { _, pool in
            let (merchant, _) = try await MerchantRegistry(pool: pool).create(
                MerchantRegistration(code: "REC", name: "Recover", providers: ["KBANK"], defaultProvider: "KBANK"))
            let registry = PaymentRegistry(pool: pool)
            var created: [UUID] = []
            for index in 0..<3 {
                let outcome = try await registry.register(
                    PaymentRegistration(sourceID: "REC", sourcePaymentID: "p\(index)", amountText: "10", currency: "THB",
                                        provider: nil, description: nil, metadata: #"{"sandbox":"silence"}"#),
                    by: merchant, idempotency: IdempotentRequest(key: "k\(index)", method: "POST", path: "/", body: [])
                ) { _ in StoredResponse(status: 202, body: []) }
                if case .created(let payment, _) = outcome { created.append(payment.id) }
            }
            let ids = created
            // Payment 0 was being submitted when its dispatcher died: SUBMITTING, lease run out.
            _ = try await pool.transaction { try PaymentRegistry.apply(ids[0], to: .submitting, actor: "test", reason: "crash", on: $0) }
            try await pool.query("UPDATE payments SET next_attempt_at = now() - interval '1 second' WHERE id = $1::uuid", [.uuid(ids[0])])
            // Payment 1's window passed before it was submitted; payment 2's while it waited, PENDING, for its customer.
            _ = try await pool.transaction { connection in
                try PaymentRegistry.apply(ids[2], to: .submitting, actor: "test", reason: "submitted", on: connection)
                try PaymentRegistry.apply(ids[2], to: .pending, actor: "test", reason: "accepted", on: connection)
            }
            try await pool.query("UPDATE payments SET expires_at = now() - interval '1 second' WHERE id = ANY ($1::uuid[])",
                                 [.stringArray([ids[1].uuidString, ids[2].uuidString])])

            let sandbox = SandboxProvider(webhookBaseURL: "http://127.0.0.1:1", secrets: [:], logger: Logger(label: "test"))
            let dispatcher = PaymentDispatcher(pool: pool, providers: [.kbank: sandbox], logger: Logger(label: "test"))
            #expect(try await dispatcher.dispatchOnce() == 2, "the interrupted submission is taken up again, the late payment expired")
            #expect(try await PaymentExpirySweeper(pool: pool, logger: Logger(label: "test")).sweepOnce() == 1)
            let statuses = try await pool.query("SELECT source_payment_id, status::text AS status FROM payments ORDER BY source_payment_id")
            #expect(try statuses.map { try $0.decode("status", as: String.self) } == ["PENDING", "EXPIRED", "EXPIRED"])
            let lateEvents = try await pool.query(
                "SELECT to_status::text AS status, actor FROM payment_events WHERE payment_id = $1::uuid ORDER BY id", [.uuid(ids[1])])
            #expect(try lateEvents.map { try $0.decode("status", as: String.self) } == ["NOT_SENT", "EXPIRED"],
                    "a payment past its window is never sent to the bank")
            #expect(try lateEvents.last?.decode("actor", as: String.self) == "expiry")
            let callbacks: Int = try await pool.query("SELECT count(*) AS n FROM outbox_events").single!.decode("n")
            #expect(callbacks == 6, "every status change queued a callback: 2 for payment 0, 1 for payment 1, 3 for payment 2")

            // Idempotency keys live 24 hours, then the retention sweeper removes them.
            try await pool.query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'k0'")
            let purged = try await RetentionSweeper(pool: pool, logger: Logger(label: "test")).sweepOnce()
            #expect(purged.keys == 1)
            let left: Int = try await pool.query("SELECT count(*) AS n FROM idempotency_keys").single!.decode("n")
            #expect(left == 2)
        }
    }

    /// One round with every answer a bank can give: accepted → PENDING, refused → FAILED_BUSINESS, and an
    /// unavailable provider → back to NOT_SENT with a backoff and the error kept, until the last attempt
    /// ends it FAILED_TECHNICAL.
    @Test func technicalFailuresAreRetriedWithBackoffThenFail() async throws {
        try await withMigratedTestDatabase("payretry", poolSize: 6) { _, pool in
            let (merchant, _) = try await MerchantRegistry(pool: pool).create(
                MerchantRegistration(code: "RETRY", name: "Retry", providers: ["KBANK"], defaultProvider: "KBANK"))
            let registry = PaymentRegistry(pool: pool)
            for (name, behaviour) in [("ok", "silence"), ("refuse", "refuse"), ("down", "unavailable")] {
                _ = try await registry.register(
                    PaymentRegistration(sourceID: "RETRY", sourcePaymentID: name, amountText: "10", currency: "THB",
                                        provider: nil, description: nil, metadata: #"{"sandbox":"\#(behaviour)"}"#),
                    by: merchant, idempotency: IdempotentRequest(key: name, method: "POST", path: "/", body: [])
                ) { _ in StoredResponse(status: 202, body: []) }
            }
            let sandbox = SandboxProvider(webhookBaseURL: "http://127.0.0.1:1", secrets: [:], logger: Logger(label: "test"))
            var dispatcher = PaymentDispatcher(pool: pool, providers: [.kbank: sandbox], logger: Logger(label: "test"))
            dispatcher.maxAttempts = 2
            dispatcher.retryBackoff = .seconds(600)  // so "not due yet" holds however slowly the suite runs
            #expect(try await dispatcher.dispatchOnce() == 3)

            func state(_ name: String) async throws -> (status: String, attempts: Int, waits: Bool, error: String?) {
                let row = try await pool.query(
                    """
                    SELECT status::text AS status, submit_attempts, next_attempt_at > now() AS waits, last_error
                      FROM payments WHERE source_payment_id = $1::text
                    """, [.string(name)]).single!
                return (try row.decode("status"), try row.decode("submit_attempts"), try row.decode("waits"), try row.decode("last_error"))
            }
            #expect(try await state("ok").status == "PENDING")
            #expect(try await state("refuse").status == "FAILED_BUSINESS")
            let waiting = try await state("down")
            #expect(waiting.status == "NOT_SENT" && waiting.attempts == 1 && waiting.waits, "retried later, not at once")
            #expect(waiting.error?.contains("unavailable") == true)
            #expect(try await dispatcher.dispatchOnce() == 0, "nothing is due during the backoff")

            try await pool.query("UPDATE payments SET next_attempt_at = now() WHERE source_payment_id = 'down'")
            #expect(try await dispatcher.dispatchOnce() == 1)
            #expect(try await state("down").status == "FAILED_TECHNICAL")
            let events = try await pool.query(
                """
                SELECT e.to_status::text AS status FROM payment_events e JOIN payments p ON p.id = e.payment_id
                 WHERE p.source_payment_id = 'down' ORDER BY e.id
                """).map { try $0.decode("status", as: String.self) }
            #expect(events == ["NOT_SENT", "SUBMITTING", "NOT_SENT", "SUBMITTING", "FAILED_TECHNICAL"])
        }
    }
}
