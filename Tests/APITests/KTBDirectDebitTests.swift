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
import Synchronization
import Testing

/// A clock the test moves.
final class TestClock: KTBClock {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    func now() -> Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// KTB Direct Debit against the KTB simulator (which follows seed 004) and the real PostgreSQL.
@Suite struct KTBDirectDebitTests {
    static func configuration(port: Int, vendorID: String = "001") -> KTBConfiguration {
        let defaults = KTBSimulator.Settings()
        return KTBConfiguration(
            baseURL: "http://127.0.0.1:\(port)", clientID: defaults.clientID, clientSecret: defaults.clientSecret,
            vendorID: vendorID, companyID: defaults.companyID, callbackPartnerID: defaults.partnerID,
            callbackAPIKey: defaults.callbackAPIKey, resubmitAfter: .seconds(60))
    }

    private func withSimulator(clock: any KTBClock = SystemKTBClock(), _ body: @escaping @Sendable (KTBSimulator, Int) async throws -> Void) async throws {
        let simulator = KTBSimulator(clock: clock, logger: Logger(label: "ktb-simulator"))
        let app = Application(router: simulator.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body(simulator, try #require(client.port)) }
    }

    @Test func tokensAreReusedRefreshedAndFetchedAgainWhenRefreshFails() async throws {
        let clock = TestClock()
        try await withSimulator(clock: clock) { simulator, port in
            let client = KTBClient(configuration: Self.configuration(port: port), clock: clock, logger: Logger(label: "test"))
            func register(_ account: String) async throws {
                _ = try await client.register(KTBRegistration(digitalID: "1100100100100", accountNo: account, references: ["0812223333"]),
                                              requestUID: UUID().uuidString)
            }
            try await register("1234567890")
            try await register("1234567891")
            #expect(simulator.tokenRequestCount == (1, 0), "one token for both calls")
            clock.advance(by: 15 * 60)  // the access token is dead; the refresh token lives 24 hours
            try await register("1234567892")
            #expect(simulator.tokenRequestCount == (1, 1))
            clock.advance(by: 25 * 3600)  // both dead: a fresh token
            try await register("1234567893")
            #expect(simulator.tokenRequestCount == (2, 1))
            simulator.revokeRefreshTokens()
            clock.advance(by: 15 * 60)  // refreshing fails with TK001: a fresh token instead
            try await register("1234567894")
            #expect(simulator.tokenRequestCount == (3, 1))
            #expect(simulator.registrations.count == 5)
        }
    }

    @Test func everyDocumentedCodeBecomesItsTypedError() async throws {
        try await withSimulator { simulator, port in
            let client = KTBClient(configuration: Self.configuration(port: port), logger: Logger(label: "test"))
            let registration = KTBRegistration(digitalID: "1100100100100", accountNo: "1234567890", references: [])
            for status in KTBStatus.allCases where status != .tokenInvalid {
                simulator.answerNext(with: status.rawValue)
                let error = await #expect(throws: KTBRefusal.self) { try await client.register(registration, requestUID: UUID().uuidString) }
                #expect(error?.status == status && error?.description.contains(status.bankDescription) == true, "\(status)")
            }
            // After 0429 (the last code above) this client asks KTB nothing for an hour.
            let asked = simulator.registrations.count
            let paused = await #expect(throws: KTBRefusal.self) { try await client.register(registration, requestUID: UUID().uuidString) }
            #expect(paused?.status == .requestLimitExceeded && simulator.registrations.count == asked)
            let fresh = KTBClient(configuration: Self.configuration(port: port), logger: Logger(label: "test"))
            // KTB's own text, naming the field, is kept beside the code.
            simulator.answerNext(with: "CMN001", description: "accountNo is required")
            let named = await #expect(throws: KTBRefusal.self) { try await fresh.register(registration, requestUID: UUID().uuidString) }
            #expect(named?.status == .fieldRequired && named?.bankText == "accountNo is required")
            // A dead token (TK001) is the one refusal asked again at once, with a fresh token.
            _ = try await fresh.register(registration, requestUID: UUID().uuidString)  // its first token
            let before = simulator.tokenRequestCount.fetched
            simulator.answerNext(with: "TK001")
            _ = try await fresh.register(registration, requestUID: UUID().uuidString)
            #expect(simulator.tokenRequestCount.fetched == before + 1)
            // The simulator's own checks.
            let invalid = await #expect(throws: KTBRefusal.self) {
                try await fresh.register(KTBRegistration(digitalID: "d", accountNo: "9991234567", references: []), requestUID: UUID().uuidString)
            }
            #expect(invalid?.status == .invalidAccountNo)
            let uid = UUID().uuidString
            _ = try await fresh.register(registration, requestUID: uid)
            let duplicate = await #expect(throws: KTBRefusal.self) { try await fresh.register(registration, requestUID: uid) }
            #expect(duplicate?.status == .duplicateRequestUID)
            let otherVendor = KTBClient(configuration: Self.configuration(port: port, vendorID: "002"), logger: Logger(label: "test"))
            let vendor = await #expect(throws: KTBRefusal.self) { try await otherVendor.register(registration, requestUID: UUID().uuidString) }
            #expect(vendor?.status == .vendorNotFound)
            // Lengths are checked before anything is sent.
            let sent = simulator.registrations.count
            await #expect(throws: KTBProtocolError.self) {
                try await fresh.register(KTBRegistration(digitalID: "d", accountNo: "12345678901234", references: [String(repeating: "x", count: 21)]),
                                          requestUID: UUID().uuidString)
            }
            #expect(simulator.registrations.count == sent)
        }
    }

    struct Loop {
        var client: any TestClientProtocol
        var key: String
        var pool: PostgresPool

        func post(_ uri: String, _ body: String, idempotency: String) async throws -> TestResponse {
            try await client.execute(uri: uri, method: .post,
                                     headers: [HTTPField.Name("X-API-Key")!: key, HTTPField.Name("X-Idempotency-Key")!: idempotency,
                                               .contentType: "application/json"], body: ByteBuffer(string: body))
        }

        func get(_ uri: String) async throws -> [String: Any] {
            let response = try await client.execute(uri: uri, method: .get, headers: [HTTPField.Name("X-API-Key")!: key])
            return try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any] ?? [:]
        }

        func waitFor(_ uri: String, field: String, toBe value: String) async throws -> [String: Any] {
            for _ in 0..<100 {
                let object = try await get(uri)
                if object[field] as? String == value { return object }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("\(uri) never had \(field) = \(value)")
            return [:]
        }
    }

    private func withSatang(_ body: @escaping @Sendable (KTBSimulator, Loop) async throws -> Void) async throws {
        try await withSimulator { simulator, simulatorPort in
            try await withMigratedTestDatabase("ktbloop", poolSize: 8) { _, pool in
                let (_, credentials) = try await MerchantRegistry(pool: pool).create(MerchantRegistration(
                    code: "DDSHOP", name: "Direct Debit Shop", providers: ["KTB"], defaultProvider: "KTB", feePercent: "1.00"))
                var settings = ServerSettings(port: 0, sandbox: true)
                settings.ktb = Self.configuration(port: simulatorPort)
                let app = buildApplication(settings: settings, pool: pool, logger: Logger(label: "test"))
                try await app.test(.live) { client in
                    let port = try #require(client.port)
                    simulator.settings.withLock { $0.callbackURL = "http://127.0.0.1:\(port)/api/v1/webhooks/ktb/ddr" }
                    try await body(simulator, Loop(client: client, key: credentials.apiKey, pool: pool))
                }
            }
        }
    }

    @Test func registrationCallbackActiveThenAKTBPaymentSucceedsAndWithoutAMandateItFails() async throws {
        try await withSatang { simulator, loop in
            let created = try await loop.post("/api/v1/direct-debit/registrations",
                #"{"digitalId":"1100100100100","accountNo":"1234567890","ref1":"0812223333"}"#, idempotency: "mandate-1")
            #expect(created.status == .accepted, "\(String(buffer: created.body))")
            let mandate = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: created.body).utf8)) as? [String: Any])
            #expect(mandate["status"] as? String == "PENDING_CALLBACK" && mandate["ddrOapiSeqId"] is String)
            let id = try #require(mandate["id"] as? String)
            let replay = try await loop.post("/api/v1/direct-debit/registrations",
                #"{"digitalId":"1100100100100","accountNo":"1234567890","ref1":"0812223333"}"#, idempotency: "mandate-1")
            #expect(String(buffer: replay.body) == String(buffer: created.body) && simulator.registrations.count == 1)
            let active = try await loop.waitFor("/api/v1/direct-debit/registrations/\(id)", field: "status", toBe: "ACTIVE")
            #expect(active["statusCode"] as? String == "I0000")

            let payment = try await loop.post("/api/v1/payments",
                #"{"sourceId":"DDSHOP","sourcePaymentId":"DD-1","amount":500,"currency":"THB","provider":"KTB","metadata":{"digitalId":"1100100100100"}}"#,
                idempotency: "pay-1")
            let paymentID = try #require((try JSONSerialization.jsonObject(with: Data(String(buffer: payment.body).utf8)) as? [String: Any])?["id"] as? String)
            _ = try await loop.waitFor("/api/v1/payments/\(paymentID)", field: "status", toBe: "SUCCEEDED")

            // A customer without a mandate: refused with a reason the merchant can read.
            let stranger = try await loop.post("/api/v1/payments",
                #"{"sourceId":"DDSHOP","sourcePaymentId":"DD-2","amount":500,"currency":"THB","provider":"KTB","metadata":{"digitalId":"9999"}}"#,
                idempotency: "pay-2")
            let strangerID = try #require((try JSONSerialization.jsonObject(with: Data(String(buffer: stranger.body).utf8)) as? [String: Any])?["id"] as? String)
            _ = try await loop.waitFor("/api/v1/payments/\(strangerID)", field: "status", toBe: "FAILED_BUSINESS")
            let events = try await loop.get("/api/v1/payments/\(strangerID)/events")
            let reasons = (events["events"] as? [[String: Any]])?.compactMap { $0["reason"] as? String } ?? []
            #expect(reasons.contains { $0.contains("no active KTB direct debit mandate for digitalId 9999") }, "\(reasons)")
        }
    }

    @Test func aRejectedMandateFailsItsPaymentsAnd0429IsReportedNotRetried() async throws {
        try await withSatang { simulator, loop in
            let created = try await loop.post("/api/v1/direct-debit/registrations",
                #"{"digitalId":"3300300300300","accountNo":"1234567899"}"#, idempotency: "mandate-r")
            let id = try #require((try JSONSerialization.jsonObject(with: Data(String(buffer: created.body).utf8)) as? [String: Any])?["id"] as? String)
            let rejected = try await loop.waitFor("/api/v1/direct-debit/registrations/\(id)", field: "status", toBe: "REJECTED")
            #expect(rejected["statusCode"] as? String == "I0001")
            let payment = try await loop.post("/api/v1/payments",
                #"{"sourceId":"DDSHOP","sourcePaymentId":"DD-R","amount":100,"currency":"THB","provider":"KTB","metadata":{"digitalId":"3300300300300"}}"#,
                idempotency: "pay-r")
            let paymentID = try #require((try JSONSerialization.jsonObject(with: Data(String(buffer: payment.body).utf8)) as? [String: Any])?["id"] as? String)
            _ = try await loop.waitFor("/api/v1/payments/\(paymentID)", field: "status", toBe: "FAILED_BUSINESS")
            let events = try await loop.get("/api/v1/payments/\(paymentID)/events")
            let reasons = (events["events"] as? [[String: Any]])?.compactMap { $0["reason"] as? String } ?? []
            #expect(reasons.contains { $0.contains("KTB rejected its registration (I0001)") }, "\(reasons)")

            // Submitting again is only for a registration still waiting, after the configured time.
            let resubmit = try await loop.client.execute(uri: "/api/v1/direct-debit/registrations/\(id)/resubmit", method: .post,
                                                         headers: [HTTPField.Name("X-API-Key")!: loop.key])
            #expect(resubmit.status == .conflict)
            let list = try await loop.get("/api/v1/direct-debit/registrations?status=REJECTED")
            #expect((list["data"] as? [String: Any])?["total"] as? Int == 1)

            // No callback ever comes: after the configured time (60 s here) it is submitted again, under a new requestUID.
            simulator.settings.withLock { $0.callbackURL = nil }
            let silent = try await loop.post("/api/v1/direct-debit/registrations",
                #"{"digitalId":"6600600600600","accountNo":"1234567001"}"#, idempotency: "mandate-silent")
            let silentMandate = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: silent.body).utf8)) as? [String: Any])
            let silentID = try #require(silentMandate["id"] as? String)
            let early = try await loop.client.execute(uri: "/api/v1/direct-debit/registrations/\(silentID)/resubmit", method: .post,
                                                      headers: [HTTPField.Name("X-API-Key")!: loop.key])
            #expect(early.status == .conflict && String(buffer: early.body).contains("more seconds"))
            try await loop.pool.query("UPDATE direct_debit_mandates SET submitted_at = now() - interval '2 minutes' WHERE id = $1::uuid",
                                      [.uuid(try #require(UUID(uuidString: silentID)))])
            let again = try await loop.client.execute(uri: "/api/v1/direct-debit/registrations/\(silentID)/resubmit", method: .post,
                                                      headers: [HTTPField.Name("X-API-Key")!: loop.key])
            #expect(again.status == .accepted, "\(String(buffer: again.body))")
            let resubmitted = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: again.body).utf8)) as? [String: Any])
            #expect(resubmitted["requestUID"] as? String != silentMandate["requestUID"] as? String)
            #expect(simulator.registrations.filter { $0["accountNo"] == "1234567001" }.count == 2)
            simulator.settings.withLock { $0.callbackURL = nil }
            simulator.answerNext(with: "0429")
            let limited = try await loop.post("/api/v1/direct-debit/registrations",
                #"{"digitalId":"4400400400400","accountNo":"1234567000"}"#, idempotency: "mandate-limited")
            #expect(limited.status == .tooManyRequests)
            let body = String(buffer: limited.body)
            #expect(body.contains("no new registration for an hour") && body.contains("KTB_0429") && body.contains(#""status":"FAILED""#))
            #expect(simulator.registrations.count == 3, "0429 was not retried")
            let stillPaused = try await loop.post("/api/v1/direct-debit/registrations",
                #"{"digitalId":"4400400400401","accountNo":"1234567002"}"#, idempotency: "mandate-limited-2")
            #expect(stillPaused.status == .tooManyRequests && simulator.registrations.count == 3, "for an hour KTB is not asked")
            let ownRef4 = try await loop.post("/api/v1/direct-debit/registrations",
                #"{"digitalId":"4400400400402","accountNo":"1234567003","ref4":"mine"}"#, idempotency: "mandate-ref4")
            #expect(ownRef4.status == .badRequest && String(buffer: ownRef4.body).contains("ref4"))
        }
    }

    @Test func badAndRepeatedCallbacksGetTheDocumentedCodes() async throws {
        try await withSatang { simulator, loop in
            let created = try await loop.post("/api/v1/direct-debit/registrations",
                #"{"digitalId":"5500500500500","accountNo":"5555555550","ref1":"A1"}"#, idempotency: "mandate-c")
            #expect(created.status == .accepted)
            _ = simulator  // its own callback may arrive too; the checks below do not depend on it
            let settings = KTBSimulator.Settings()
            let satangRef: String = try await loop.pool.query(
                "SELECT satang_ref FROM direct_debit_mandates WHERE account_no = '5555555550'").single!.decode("satang_ref")
            func header(_ changes: [String: String] = [:]) -> String {
                var fields = ["channelId": "DDR-OPEN-API", "oapi-client-id": settings.clientID, "oapi-partner-id": settings.partnerID,
                              "requestUID": UUID().uuidString.lowercased(), "requestDateTime": "20261124 10:11:12",
                              "x-api-key": settings.callbackAPIKey]
                for (key, value) in changes { fields[key] = value.isEmpty ? nil : value }
                return String(data: try! JSONSerialization.data(withJSONObject: fields), encoding: .utf8)!
            }
            func body(_ changes: [String: String] = [:]) -> String {
                var fields = ["vendorId": "001", "companyId": "AAAA000001", "accountNo": "5555555550", "ref1": "A1", "ref4": satangRef,
                              "applyDtm": "20261124 10:11:12", "respCode": "I0000", "respDesc": "Success"]
                for (key, value) in changes { fields[key] = value.isEmpty ? nil : value }
                return String(data: try! JSONSerialization.data(withJSONObject: fields), encoding: .utf8)!
            }
            func send(_ header: String?, _ body: String) async throws -> (Int, [String: Any]) {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let header { headers[HTTPField.Name("msg-hdr")!] = header }
                let response = try await loop.client.execute(uri: "/api/v1/webhooks/ktb/ddr", method: .post, headers: headers,
                                                             body: ByteBuffer(string: body))
                return (Int(response.status.code),
                        try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any] ?? [:])
            }
            let cases: [(String?, String, String, Int)] = [
                (nil, body(), "CMN001", 400), (header(["x-api-key": "wrong"]), body(), "AU00401", 401),
                (header(["channelId": "OTHER"]), body(), "CMN003", 400), (header(["requestDateTime": "2026-11-24"]), body(), "CMN002", 400),
                (header(["requestUID": ""]), body(), "CMN001", 400), (header(), body(["accountNo": "12ab"]), "CMN004", 400),
                (header(), body(["accountNo": "12345678901234"]), "CMN005", 400), (header(), body(["respCode": ""]), "CMN001", 400),
                (header(), body(["respCode": "X0000"]), "CMN003", 400), (header(), body(["vendorId": "999"]), "BSN001", 400),
                (header(), body(["accountNo": "1111111111"]), "BSN003", 400), ("not json", body(), "CMN002", 400),
                (header(), body(["ref4": "Sanother"]), "BSN003", 400), (header(["requestUID": String(repeating: "9", count: 37)]), body(), "AU00004", 400),
            ]
            for (header, body, code, status) in cases {
                let (httpStatus, answer) = try await send(header, body)
                #expect(answer["statusCode"] as? String == code && httpStatus == status, "\(code): \(answer)")
            }
            let uid = UUID().uuidString.lowercased()
            let first = try await send(header(["requestUID": uid]), body())
            #expect(first.1["statusCode"] as? String == "0" && first.1["requestUID"] as? String == uid && first.0 == 200)
            let repeated = try await send(header(["requestUID": uid]), body())
            #expect(repeated.1["statusCode"] as? String == "BSN007")
            // A later callback for the same registration (a new requestUID) changes nothing.
            let later = try await send(header(), body(["respCode": "I0001", "respDesc": "Reject"]))
            #expect(later.1["statusCode"] as? String == "0")
            let status: String = try await loop.pool.query(
                "SELECT status::text AS s FROM direct_debit_mandates WHERE account_no = '5555555550'").single!.decode("s")
            #expect(status == "ACTIVE")
        }
    }
}
