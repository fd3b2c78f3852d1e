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

/// `POST /api/v1/payments` and `GET /api/v1/payments/:id` over real HTTP against a real database.
@Suite struct PaymentRegistrationTests {
    struct Fixture {
        var app: any ApplicationProtocol
        var key: String
        var secret: String
        var otherKey: String
        var pool: PostgresPool
    }

    private func withApp(_ label: String, requireSignature: Bool = false, _ body: (Fixture) async throws -> Void) async throws {
        try await withMigratedTestDatabase(label, poolSize: 8) { _, pool in
            let merchants = MerchantRegistry(pool: pool)
            let (_, credentials) = try await merchants.create(MerchantRegistration(
                code: "TESTSRC", name: "Test Source", providers: ["KBANK", "SCB"], defaultProvider: "KBANK",
                feePercent: "1.50", requireSignature: requireSignature))
            let (_, other) = try await merchants.create(MerchantRegistration(code: "OTHER", name: "Other", providers: ["SCB"]))
            let app = buildApplication(settings: ServerSettings(port: 0), pool: pool, logger: Logger(label: "test"))
            try await body(Fixture(app: app, key: credentials.apiKey, secret: credentials.apiSecret, otherKey: other.apiKey, pool: pool))
        }
    }

    static let body = #"{"sourceId":"TESTSRC","sourcePaymentId":"PAY-ORDER-12345","amount":1070,"currency":"THB","description":"Order #12345","metadata":{"orderId":"12345"}}"#

    private func headers(_ key: String, idempotency: String? = "idem-pay-2026-001") -> HTTPFields {
        var fields: HTTPFields = [HTTPField.Name("X-API-Key")!: key, .contentType: "application/json"]
        if let idempotency { fields[HTTPField.Name("X-Idempotency-Key")!] = idempotency }
        return fields
    }

    private func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any] ?? [:]
    }

    @Test func registersAPaymentAndReplaysItByteForByte() async throws {
        try await withApp("payreg") { fixture in
            try await fixture.app.test(.live) { client in
                let first = try await client.execute(
                    uri: "/api/v1/payments", method: .post, headers: headers(fixture.key), body: ByteBuffer(string: Self.body))
                #expect(first.status == .accepted)
                let created = try json(first.body)
                #expect(created["provider"] as? String == "KBANK")
                #expect(created["providerStatus"] as? String == "NOT_SENT")
                #expect(String(buffer: first.body).contains(#""amount":1070.00"#))
                #expect(created["expiresAt"] as? String != nil)

                let again = try await client.execute(
                    uri: "/api/v1/payments", method: .post, headers: headers(fixture.key), body: ByteBuffer(string: Self.body))
                #expect(again.status == .accepted)
                #expect(again.body == first.body)
                #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")

                let changed = Self.body.replacingOccurrences(of: "1070", with: "1071")
                let reused = try await client.execute(
                    uri: "/api/v1/payments", method: .post, headers: headers(fixture.key), body: ByteBuffer(string: changed))
                #expect(reused.status == .unprocessableContent)
                #expect(try json(reused.body)["errorCode"] as? String == "IDEMPOTENCY_KEY_REUSED")

                let id = try #require(created["id"] as? String)
                let shown = try await client.execute(uri: "/api/v1/payments/\(id)?sourceId=TESTSRC", method: .get, headers: headers(fixture.key, idempotency: nil))
                #expect(shown.status == .ok)
                let stored = try json(shown.body)
                #expect(stored["sourcePaymentId"] as? String == "PAY-ORDER-12345")
                // The 202 is rendered before the row is written: it must show what the row holds.
                for field in ["createdAt", "expiresAt", "status"] {
                    #expect(stored[field] as? String == created[field] as? String, "\(field) differs between the 202 and the GET")
                }
                #expect((stored["metadata"] as? [String: String]) == ["orderId": "12345"])
                #expect((created["metadata"] as? [String: String]) == ["orderId": "12345"])
                let events = try await client.execute(uri: "/api/v1/payments/\(id)/events", method: .get, headers: headers(fixture.key, idempotency: nil))
                #expect(events.status == .ok)
                let recorded = try json(events.body)["events"] as? [[String: Any]]
                #expect(recorded?.count == 1)
                #expect(recorded?.first?["to"] as? String == "NOT_SENT")
                #expect(recorded?.first?["actor"] as? String == "merchant:TESTSRC")
                // Another merchant sees exactly what a missing payment looks like.
                let foreign = try await client.execute(uri: "/api/v1/payments/\(id)", method: .get, headers: headers(fixture.otherKey, idempotency: nil))
                let missing = try await client.execute(uri: "/api/v1/payments/\(UUID().uuidString)", method: .get, headers: headers(fixture.otherKey, idempotency: nil))
                #expect(foreign.status == .notFound)
                #expect(foreign.body == missing.body)
                // (The application owns the pool and closes it when the test server stops.)
                let payments: Int = try await fixture.pool.query("SELECT count(*) AS n FROM payments").single!.decode("n")
                #expect(payments == 1)
            }
        }
    }

    @Test func fiftyConcurrentIdenticalRequestsMakeOnePayment() async throws {
        try await withApp("payconcurrent") { fixture in
            try await fixture.app.test(.ahc(.http)) { client in
                let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, ByteBuffer).self) { group in
                    for _ in 0..<50 {
                        group.addTask {
                            let response = try await client.execute(
                                uri: "/api/v1/payments", method: .post, headers: headers(fixture.key, idempotency: "same-key"),
                                body: ByteBuffer(string: Self.body))
                            return (response.status, response.body)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let accepted = answers.filter { $0.0 == .accepted }
                #expect(!accepted.isEmpty)
                #expect(Set(accepted.map { String(buffer: $0.1) }).count == 1, "every 202 carries the same body")
                for (status, body) in answers where status != .accepted {
                    #expect(status == .conflict)
                    #expect(try json(body)["errorCode"] as? String == "IDEMPOTENCY_KEY_IN_USE")
                }
                let payments: Int = try await fixture.pool.query("SELECT count(*) AS n FROM payments").single!.decode("n")
                #expect(payments == 1)
            }
        }
    }

    /// Concurrent requests under different keys for one `sourcePaymentId` land in shared batches: exactly one
    /// payment, every other answer DUPLICATE_PAYMENT, and none of the losers' keys keeps a 202 to replay.
    @Test func concurrentDuplicatesUnderDifferentKeysMakeOnePayment() async throws {
        try await withApp("payconcurrentdup") { fixture in
            try await fixture.app.test(.ahc(.http)) { client in
                let answers = try await withThrowingTaskGroup(of: (String, HTTPResponse.Status, ByteBuffer).self) { group in
                    for index in 0..<30 {
                        group.addTask {
                            let response = try await client.execute(
                                uri: "/api/v1/payments", method: .post, headers: headers(fixture.key, idempotency: "dup-\(index)"),
                                body: ByteBuffer(string: Self.body))
                            return ("dup-\(index)", response.status, response.body)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(answers.filter { $0.1 == .accepted }.count == 1)
                for (key, status, body) in answers where status != .accepted {
                    #expect(status == .conflict)
                    #expect(try json(body)["errorCode"] as? String == "DUPLICATE_PAYMENT")
                    let retried = try await client.execute(
                        uri: "/api/v1/payments", method: .post, headers: headers(fixture.key, idempotency: key), body: ByteBuffer(string: Self.body))
                    #expect(retried.status == .conflict, "a loser's retry is answered DUPLICATE_PAYMENT again, not a stored 202")
                }
                let payments: Int = try await fixture.pool.query("SELECT count(*) AS n FROM payments").single!.decode("n")
                let keys: Int = try await fixture.pool.query("SELECT count(*) AS n FROM idempotency_keys WHERE response_status = 202").single!.decode("n")
                #expect(payments == 1)
                #expect(keys == 1)
            }
        }
    }

    @Test(arguments: [
        (#"{"sourceId":"TESTSRC","sourcePaymentId":"P2","amount":10,"currency":"THB","provider":"BBL"}"#, 422, "PAYMENT_PROVIDER_NOT_ALLOWED"),
        (#"{"sourceId":"TESTSRC","sourcePaymentId":"P3","amount":10,"currency":"THB","provider":"PAYPAL"}"#, 422, "UNSUPPORTED_PAYMENT_PROVIDER"),
        (#"{"sourceId":"TESTSRC","sourcePaymentId":"P4","amount":1e3,"currency":"thb"}"#, 400, "VALIDATION_ERROR"),
        (#"{"sourceId":"TESTSRC","sourcePaymentId":"P7","amount":10,"currency":"THB\n"}"#, 400, "VALIDATION_ERROR"),
        // Lengths are counted as PostgreSQL counts them (code points): 100 characters of e + combining acute are 200.
        (#"{"sourceId":"TESTSRC","sourcePaymentId":"\#(String(repeating: "e\u{301}", count: 100))","amount":10,"currency":"THB"}"#, 400, "VALIDATION_ERROR"),
        (#"{"sourceId":"TESTSRC","sourcePaymentId":"P8","amount":10,"currency":"THB","description":"\#(String(repeating: "e\u{301}", count: 200))"}"#, 400, "VALIDATION_ERROR"),
        (#"{"sourceId":"TESTSRC","sourcePaymentId":"P\u0000","amount":10,"currency":"THB"}"#, 400, "VALIDATION_ERROR"),
        (#"{"sourceId":"TESTSRC","sourcePaymentId":"P9","amount":10,"currency":"THB","description":"a\u0000b"}"#, 400, "VALIDATION_ERROR"),
        (#"{"sourceId":"TESTSRC","sourcePaymentId":"P10","amount":10,"currency":"THB","metadata":{"note":"a\u0000b"}}"#, 400, "VALIDATION_ERROR"),
        (#"{"sourceId":"TESTSRC","amount":10.005,"currency":"THB"}"#, 400, "VALIDATION_ERROR"),
        (#"{"sourceId":"TESTSRC","sourcePaymentId":"P5","amount":"10","currency":"THB"}"#, 400, "VALIDATION_ERROR"),
        (#"{"sourceId":"OTHER","sourcePaymentId":"P6","amount":10,"currency":"THB"}"#, 403, "FORBIDDEN"),
        (#"not json"#, 400, "VALIDATION_ERROR"),
    ] as [(String, Int, String)])
    func badRequestsGetTheirErrorCode(_ body: String, _ status: Int, _ errorCode: String) async throws {
        try await withApp("payerrors") { fixture in
            try await fixture.app.test(.live) { client in
                let response = try await client.execute(
                    uri: "/api/v1/payments", method: .post, headers: headers(fixture.key, idempotency: UUID().uuidString),
                    body: ByteBuffer(string: body))
                #expect(response.status.code == status, "\(String(buffer: response.body))")
                let answer = try json(response.body)
                #expect(answer["errorCode"] as? String == errorCode)
                #expect((answer["message"] as? String)?.isEmpty == false)
            }
        }
    }

    @Test func validationNamesEveryBadField() async throws {
        try await withApp("payfields") { fixture in
            try await fixture.app.test(.live) { client in
                let response = try await client.execute(
                    uri: "/api/v1/payments", method: .post, headers: headers(fixture.key),
                    body: ByteBuffer(string: #"{"sourceId":"TESTSRC","amount":5,"currency":"THB","extra":1}"#))
                #expect(response.status == .badRequest)
                let fields = (try json(response.body)["fields"] as? String)?.split(separator: ",").map(String.init)
                #expect(Set(fields ?? []) == ["sourcePaymentId", "extra"])
                let amounts = try await client.execute(
                    uri: "/api/v1/payments", method: .post, headers: headers(fixture.key, idempotency: "k-amount"),
                    body: ByteBuffer(string: #"{"sourceId":"TESTSRC","sourcePaymentId":"P9","amount":-5,"currency":"THB","description":"\#(String(repeating: "x", count: 300))"}"#))
                let amountFields = (try json(amounts.body)["fields"] as? String)?.split(separator: ",").map(String.init)
                #expect(Set(amountFields ?? []) == ["amount", "description"])
            }
        }
    }

    @Test func duplicatesMissingKeysUnknownKeysAndHugeBodiesAreRefused() async throws {
        try await withApp("payrefuse") { fixture in
            try await fixture.app.test(.live) { client in
                _ = try await client.execute(uri: "/api/v1/payments", method: .post, headers: headers(fixture.key, idempotency: "k1"), body: ByteBuffer(string: Self.body))
                let duplicate = try await client.execute(uri: "/api/v1/payments", method: .post, headers: headers(fixture.key, idempotency: "k2"), body: ByteBuffer(string: Self.body))
                #expect(duplicate.status == .conflict)
                #expect(try json(duplicate.body)["errorCode"] as? String == "DUPLICATE_PAYMENT")
                let noKey = try await client.execute(uri: "/api/v1/payments", method: .post, headers: headers(fixture.key, idempotency: nil), body: ByteBuffer(string: Self.body))
                #expect(noKey.status == .badRequest)
                let stranger = try await client.execute(uri: "/api/v1/payments", method: .post, headers: headers("sk_satang_nope"), body: ByteBuffer(string: Self.body))
                #expect(stranger.status == .unauthorized)
                #expect(try json(stranger.body)["errorCode"] as? String == "UNAUTHORIZED")
                let huge = try await client.execute(
                    uri: "/api/v1/payments", method: .post, headers: headers(fixture.key, idempotency: "k3"),
                    body: ByteBuffer(repeating: UInt8(ascii: " "), count: (1 << 20) + 1))
                #expect(huge.status == .contentTooLarge)
            }
        }
    }

    @Test func signedRequestsAreVerifiedAndNeverReplayed() async throws {
        try await withApp("paysigned", requireSignature: true) { fixture in
            @Sendable func signed(_ timestamp: String, secret: String) -> HTTPFields {
                var fields = headers(fixture.key, idempotency: UUID().uuidString)
                fields[HTTPField.Name("X-Timestamp")!] = timestamp
                fields[HTTPField.Name("X-Signature")!] = hmac(secret: secret, message: timestamp + "." + Self.body)
                return fields
            }
            try await fixture.app.test(.live) { client in
                let unsigned = try await client.execute(uri: "/api/v1/payments", method: .post, headers: headers(fixture.key), body: ByteBuffer(string: Self.body))
                #expect(try json(unsigned.body)["errorCode"] as? String == "SIGNATURE_REQUIRED")
                let now = String(Int64(Date().timeIntervalSince1970 * 1000))
                let wrong = try await client.execute(uri: "/api/v1/payments", method: .post, headers: signed(now, secret: "not-the-secret"), body: ByteBuffer(string: Self.body))
                #expect(try json(wrong.body)["errorCode"] as? String == "INVALID_SIGNATURE")
                let old = String(Int64(Date().timeIntervalSince1970 * 1000) - 6 * 60 * 1000)
                let stale = try await client.execute(uri: "/api/v1/payments", method: .post, headers: signed(old, secret: fixture.secret), body: ByteBuffer(string: Self.body))
                #expect(try json(stale.body)["errorCode"] as? String == "SIGNATURE_EXPIRED")
                let good = signed(now, secret: fixture.secret)
                let accepted = try await client.execute(uri: "/api/v1/payments", method: .post, headers: good, body: ByteBuffer(string: Self.body))
                #expect(accepted.status == .accepted, "\(String(buffer: accepted.body))")
                let replay = try await client.execute(uri: "/api/v1/payments", method: .post, headers: good, body: ByteBuffer(string: Self.body))
                #expect(replay.status == .unauthorized)
                #expect(try json(replay.body)["errorCode"] as? String == "SIGNATURE_REPLAYED")
            }
        }
    }
}

import Crypto

/// `sha256=<hex HMAC-SHA256(secret, message)>`, computed independently of the server's code.
func hmac(secret: String, message: String) -> String {
    let mac = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(secret.utf8)))
    return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
}
