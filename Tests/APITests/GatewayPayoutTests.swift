import API
import Crypto
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

/// Payouts, balance, order query and jwt/create over real HTTP: money reserved on create, settled on
/// completion, refunded on cancel or failure, to the satang; callbacks in seed 001's shape, signed.
@Suite struct GatewayPayoutTests {
    static let providerSecret = "kbank-webhook-secret-for-payout-tests-0123"

    struct Fixture: Sendable {
        var pool: PostgresPool
        var merchant: Merchant
        var credentials: APICredentials
        var client: any TestClientProtocol
        var callbacks: Locked<[String]>
        var callbackURL: String

        var headers: HTTPFields {
            [.contentType: "application/json", HTTPField.Name("X-API-Key")!: credentials.apiKey,
             HTTPField.Name("X-API-Secret")!: credentials.apiSecret]
        }

        func json(_ response: TestResponse) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any] ?? [:]
        }

        func post(_ uri: String, _ body: String) async throws -> TestResponse {
            try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        }

        func get(_ uri: String) async throws -> TestResponse { try await client.execute(uri: uri, method: .get, headers: headers) }

        /// A paid deposit of `amount` (net of the 1.5 % fee lands in the available balance).
        func fund(_ amount: String) async throws {
            let created = try json(try await post("/api/v1/deposit/create",
                #"{"account_no":"1234567890","acc_name":"Funding","bank_code":"KBANK","amount":\#(amount),"callback_url":"\#(callbackURL)"}"#))
            let reference = try #require((created["data"] as? [String: Any])?["txn_id"] as? String, "\(created)")
            let paymentID: UUID = try await pool.query(
                "SELECT payment_id FROM deposits WHERE reference = $1::text", [.string(reference)]).single!.decode("payment_id")
            let body = #"{"eventId":"fund-\#(reference)","paymentId":"\#(paymentID.uuidString.lowercased())","status":"SUCCEEDED"}"#
            let timestamp = String(Int64(Date().timeIntervalSince1970 * 1000))
            let paid = try await client.execute(
                uri: "/api/v1/webhooks/providers/KBANK", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("X-Timestamp")!: timestamp,
                          HTTPField.Name("X-Signature")!: hmac(secret: GatewayPayoutTests.providerSecret, message: timestamp + "." + body)],
                body: ByteBuffer(string: body))
            #expect(paid.status == .ok)
        }

        func balance() async throws -> (available: Double, inFlight: Double) {
            let data = try #require(try json(try await get("/api/v1/balance"))["data"] as? [String: Any])
            return (try #require(data["available"] as? Double), try #require(data["payouts_in_flight"] as? Double))
        }

        func waitFor(_ reference: String, status: String) async throws -> [String: Any] {
            for _ in 0..<100 {
                let data = try json(try await get("/api/v1/payout/\(reference)"))["data"] as? [String: Any]
                if data?["status"] as? String == status { return data ?? [:] }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("payout \(reference) never became \(status)")
            return [:]
        }
    }

    private func withPayouts(_ label: String, sandbox: Bool, _ body: @escaping @Sendable (Fixture) async throws -> Void) async throws {
        let callbacks = Locked<[String]>([])
        let router = Router()
        router.post("cb") { request, _ -> HTTPResponse.Status in
            var request = request
            let text = String(buffer: try await request.collectBody(upTo: 1 << 16))
            callbacks.withLock { $0.append(text) }
            return .ok
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await receiver.test(.live) { receiverClient in
            let callbackURL = "http://127.0.0.1:\(try #require(receiverClient.port))/cb"
            try await withMigratedTestDatabase(label, poolSize: 8) { _, pool in
                let (merchant, credentials) = try await MerchantRegistry(pool: pool).create(MerchantRegistration(
                    code: "testmerchant", name: "Payout Merchant", providers: ["KBANK"], defaultProvider: "KBANK", feePercent: "1.50"))
                _ = try await ReceivingAccounts(pool: pool).add(bank: "KBANK", accountNo: "1234567890", accountName: "Platform", promptPayID: nil)
                let app = buildApplication(
                    settings: ServerSettings(port: 0, providerSecrets: ["KBANK": Self.providerSecret], sandbox: sandbox,
                                             allowInsecureCallbacks: true),
                    pool: pool, logger: Logger(label: "test"))
                try await app.test(.live) { client in
                    try await body(Fixture(pool: pool, merchant: merchant, credentials: credentials, client: client,
                                           callbacks: callbacks, callbackURL: callbackURL))
                    // Before the app stops (it closes the pool): the books balance, no account below zero.
                    #expect(try await LedgerInvariants.check(pool).hold)
                }
            }
        }
    }

    @Test func twentyConcurrentPayoutsRaceForABalanceThatCoversSeven() async throws {
        try await withPayouts("payrace", sandbox: false) { fixture in
            try await fixture.fund("7200")  // 7,200.00 − 108.00 fee = 7,092.00 available
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let response = try await fixture.post("/api/v1/payout/create",
                            #"{"account_no":"98765432\#(String(format: "%02d", index))","acc_name":"Jane Doe","bank_code":"SCB","amount":1000.00,"callback_url":"\#(fixture.callbackURL)"}"#)
                        return Int(response.status.code)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 7, "\(statuses.sorted())")
            #expect(statuses.filter { $0 == 422 }.count == 13)
            let (available, inFlight) = try await fixture.balance()
            #expect(available == 92 && inFlight == 7000)
            let rows: Int = try await fixture.pool.query("SELECT count(*) AS n FROM payouts").single!.decode("n")
            #expect(rows == 7, "a refused payout leaves nothing behind")
            let refused = try fixture.json(try await fixture.post("/api/v1/payout/create",
                #"{"account_no":"9876543210","acc_name":"Jane Doe","bank_code":"SCB","amount":100,"callback_url":"\#(fixture.callbackURL)"}"#))
            #expect(refused["errorCode"] as? String == "INSUFFICIENT_BALANCE")
            #expect((refused["message"] as? String)?.contains("92.00 THB available") == true)
        }
    }

    @Test func depositPayoutCancelReturnsTheBalanceToTheSatang() async throws {
        try await withPayouts("paycancel", sandbox: false) { fixture in
            try await fixture.fund("1000")  // 985.00 available
            let created = try await fixture.post("/api/v1/payout/create",
                #"{"account_no":"9876543210","acc_name":"Jane Doe","bank_code":"SCB","amount":500.55,"callback_url":"\#(fixture.callbackURL)"}"#)
            #expect(created.status == .ok, "\(String(buffer: created.body))")
            let data = try #require(try fixture.json(created)["data"] as? [String: Any])
            let reference = try #require(data["txn_id"] as? String)
            #expect(String(buffer: created.body).contains(#""fee":7.51"#))  // 1.5 % of 500.55 = 7.50825, half up
            #expect(String(buffer: created.body).contains(#""transfer_amount":493.04"#))
            #expect(data["status"] as? String == "pending" && data["withdrawal_status"] as? String == "created")
            var balance = try await fixture.balance()
            #expect(balance.available == 484.45 && balance.inFlight == 500.55)
            let cancelled = try await fixture.post("/api/v1/payout/\(reference)/cancel", "")
            #expect(cancelled.status == .ok)
            #expect(try fixture.json(cancelled)["message"] as? String == "Payout cancelled successfully")
            balance = try await fixture.balance()
            #expect(balance.available == 985 && balance.inFlight == 0)
            let again = try await fixture.post("/api/v1/payout/\(reference)/cancel", "")
            #expect(again.status == .conflict)
            let publicStatus = try await fixture.client.execute(uri: "/api/v1/payout/status/\(reference)", method: .get)
            #expect((try fixture.json(publicStatus)["data"] as? [String: Any])?["status"] as? String == "cancelled")
            let listed = try fixture.json(try await fixture.get("/api/v1/payouts?status=cancelled"))
            #expect((listed["data"] as? [String: Any])?["total"] as? Int == 1)
        }
    }

    @Test func sentPayoutsSettleFailedOnesRefundAndCallbacksAreSigned() async throws {
        try await withPayouts("paysend", sandbox: true) { fixture in
            try await fixture.fund("2000")  // 1,970.00 available
            func payout(_ account: String, _ amount: String) async throws -> String {
                let response = try fixture.json(try await fixture.post("/api/v1/payout/create",
                    #"{"account_no":"\#(account)","acc_name":"Jane Doe","bank_code":"SCB","amount":\#(amount),"callback_url":"\#(fixture.callbackURL)"}"#))
                return try #require((response["data"] as? [String: Any])?["txn_id"] as? String, "\(response)")
            }
            // The bank cannot be reached: the payout waits (shown as processing), stays reserved, cannot be cancelled.
            let stuck = try await payout(SandboxProvider.unreachableAccount, "100")
            let waiting = try await fixture.waitFor(stuck, status: "processing")
            #expect(waiting["withdrawal_status"] as? String == "waiting" || waiting["withdrawal_status"] as? String == "in batch")
            let cancel = try await fixture.post("/api/v1/payout/\(stuck)/cancel", "")
            #expect(cancel.status == .conflict)
            let sent = try await payout("9876543210", "1000")
            let refused = try await payout(SandboxProvider.closedAccount, "500")
            let done = try await fixture.waitFor(sent, status: "completed")
            #expect((done["bank_ref"] as? String)?.hasPrefix("SBX") == true && done["completed_at"] is String)
            let failed = try await fixture.waitFor(refused, status: "failed")
            #expect((failed["failure_reason"] as? String)?.contains("closed") == true)
            let balance = try await fixture.balance()
            #expect(balance.available == 870 && balance.inFlight == 100)  // 1,970 − 1,000 sent − 100 still trying; the 500 came back
            let fees = try await Ledger(pool: fixture.pool).account(book: fixture.merchant.bookID, code: AccountCode.fees)
            #expect(fees.normalBalance.decimalText == "45.00")  // 30.00 on the deposit + 15.00 on the payout

            // Seed 001's callbacks, signed over the sorted data fields with the API secret.
            var completed: [String: Any]?
            for _ in 0..<100 where completed == nil {
                completed = fixture.callbacks.value.compactMap { text -> [String: Any]? in
                    let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                    let data = object?["data"] as? [String: Any]
                    return object?["event"] as? String == "payout.status_changed" && data?["txn_id"] as? String == sent
                        && data?["status"] as? String == "completed" ? data : nil
                }.first
                if completed == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            let data = try #require(completed, "no completed callback among \(fixture.callbacks.value)")
            #expect(data["bank_ref"] as? String == done["bank_ref"] as? String)
            let fields = data.filter { $0.key != "signature" }.map { key, value -> (String, String) in
                switch value {
                // JavaScript's `${number}`: integers without a fraction, others in their shortest form.
                case let number as NSNumber: (key, number.doubleValue == number.doubleValue.rounded() ? "\(Int64(number.doubleValue))" : "\(number.doubleValue)")
                case is NSNull: (key, "null")
                default: (key, "\(value)")
                }
            }
            let text = fields.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
            let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(fixture.credentials.apiSecret.utf8)))
            #expect(data["signature"] as? String == mac.map { String(format: "%02x", $0) }.joined(), "\(text)")
            #expect(text.contains("amount=1000&"), "numbers as JavaScript writes them: \(text)")
        }
    }

    /// A bank whose answers the test chooses: first a "sent" whose reference cannot be stored.
    final class ScriptedBank: PayoutProvider {
        let answer: Locked<PayoutResult>
        init(_ answer: PayoutResult) { self.answer = Locked(answer) }
        func send(_ payout: Payout) async throws -> PayoutResult { answer.value }
    }

    @Test func aBankAnswerThatCannotBeRecordedIsReportedOnceAndBacksOff() async throws {
        try await withPayouts("payunrec", sandbox: false) { fixture in
            try await fixture.fund("1000")
            let created = try fixture.json(try await fixture.post("/api/v1/payout/create",
                #"{"account_no":"9876543210","acc_name":"Jane Doe","bank_code":"SCB","amount":100,"callback_url":"\#(fixture.callbackURL)"}"#))
            let reference = try #require((created["data"] as? [String: Any])?["txn_id"] as? String, "\(created)")
            // No sandbox, so no dispatcher of the app's own: this one talks to the scripted bank.
            let bank = ScriptedBank(.completed(bankReference: "REF\u{0}42"))  // a NUL: PostgreSQL text cannot hold it
            let dispatcher = PayoutDispatcher(
                pool: fixture.pool, providers: Dictionary(uniqueKeysWithValues: ProviderCode.allCases.map { ($0, bank as any PayoutProvider) }),
                logger: Logger(label: "test"))
            let state = "SELECT status::text AS status, attempts, extract(epoch FROM next_attempt_at - now())::int8 AS wait FROM payouts WHERE reference = $1::text"
            let exceptions = "SELECT count(*) AS n FROM reconciliation_exceptions WHERE kind = 'payout_answer_not_recorded'"

            #expect(try await dispatcher.dispatchOnce() == 1)
            var row = try await fixture.pool.query(state, [.string(reference)]).single!
            #expect(try row.decode("status", as: String.self) == "in batch", "still reserved: the bank may have paid")
            #expect((55...60).contains(try row.decode("wait", as: Int64.self)), "backs off one lease (60 s)")
            #expect(try await fixture.pool.query(exceptions).single!.decode("n", as: Int.self) == 1)
            #expect(try await dispatcher.dispatchOnce() == 0, "not sent again before its backoff ends")

            // Due again, the same answer: one more attempt, still one exception.
            try await fixture.pool.query("UPDATE payouts SET next_attempt_at = now() WHERE reference = $1::text", [.string(reference)])
            #expect(try await dispatcher.dispatchOnce() == 1)
            row = try await fixture.pool.query(state, [.string(reference)]).single!
            #expect(try row.decode("attempts", as: Int.self) == 2)
            #expect((115...120).contains(try row.decode("wait", as: Int64.self)), "then two leases")
            #expect(try await fixture.pool.query(exceptions).single!.decode("n", as: Int.self) == 1)

            // Once the bank's answer can be stored, the payout settles as any other.
            bank.answer.withLock { $0 = .completed(bankReference: "REF42") }
            try await fixture.pool.query("UPDATE payouts SET next_attempt_at = now() WHERE reference = $1::text", [.string(reference)])
            #expect(try await dispatcher.dispatchOnce() == 1)
            let done = try await fixture.waitFor(reference, status: "completed")
            #expect(done["bank_ref"] as? String == "REF42")
            let balance = try await fixture.balance()
            #expect(balance.available == 885 && balance.inFlight == 0)  // 985 − 100
        }
    }

    @Test func seed001PayoutExampleSignedAsItsSampleAndEveryPayoutRule() async throws {
        try await withPayouts("payrules", sandbox: false) { fixture in
            try await fixture.fund("10000")
            // Seed 001's payout example, signed like its JavaScript sample (no X-API-Secret).
            let timestamp = Int64(Date().timeIntervalSince1970 * 1000)
            let params = ["account_no": "9876543210", "acc_name": "Jane Doe", "bank_code": "SCB", "amount": "5000.00",
                          "callback_url": fixture.callbackURL, "timestamp": "\(timestamp)"]
            let text = params.keys.sorted().map { "\($0)=\(params[$0]!)" }.joined(separator: "&")
            let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(fixture.credentials.apiSecret.utf8)))
            let signature = mac.map { String(format: "%02x", $0) }.joined()
            let body = #"{"account_no":"9876543210","acc_name":"Jane Doe","bank_code":"SCB","amount":5000.00,"callback_url":"\#(fixture.callbackURL)","signature":"\#(signature)","timestamp":\#(timestamp)}"#
            let created = try await fixture.client.execute(
                uri: "/api/v1/payout/create", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("X-API-Key")!: fixture.credentials.apiKey],
                body: ByteBuffer(string: body))
            #expect(created.status == .ok, "\(String(buffer: created.body))")
            let answer = String(buffer: created.body)
            #expect(answer.contains(#""status":"pending""#) && answer.contains(#""fee":75.00"#) && answer.contains(#""fee_percent":1.50"#))
            #expect(answer.contains(#""customer_data":{"account_no":"9876543210","acc_name":"Jane Doe","bank_code":"SCB"}"#))

            let valid = ["\"account_no\":\"9876543210\"", "\"acc_name\":\"Jane Doe\"", "\"bank_code\":\"SCB\"", "\"amount\":100",
                         "\"callback_url\":\"https://shop.example/cb\""]
            for (field, name) in [(#""account_no":"98765""#, "account_no"), (#""acc_name":"J""#, "acc_name"),
                                  (#""bank_code":"XYZ""#, "bank_code"), (#""amount":0"#, "amount"), (#""amount":1.005"#, "amount"),
                                  (#""amount":2000001"#, "amount"), (#""callback_url":"ftp://x""#, "callback_url"), (#""memo":"x""#, "memo")] {
                let key = field.split(separator: ":")[0]
                let members = valid.filter { !$0.hasPrefix(key) } + [field]
                let response = try fixture.json(try await fixture.post("/api/v1/payout/create", "{" + members.joined(separator: ",") + "}"))
                #expect((response["fields"] as? String)?.split(separator: ",").contains(Substring(name)) == true, "\(field): \(response)")
            }
            // Idempotency: the same key and body answer the same bytes; nothing is reserved twice.
            var headers = fixture.headers
            headers[HTTPField.Name("X-Idempotency-Key")!] = "payout-retry-1"
            let payload = #"{"account_no":"9876543210","acc_name":"Jane Doe","bank_code":"SCB","amount":100,"callback_url":"https://shop.example/cb"}"#
            let first = try await fixture.client.execute(uri: "/api/v1/payout/create", method: .post, headers: headers, body: ByteBuffer(string: payload))
            let retry = try await fixture.client.execute(uri: "/api/v1/payout/create", method: .post, headers: headers, body: ByteBuffer(string: payload))
            #expect(String(buffer: first.body) == String(buffer: retry.body))
            #expect(retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let reused = try await fixture.client.execute(uri: "/api/v1/payout/create", method: .post, headers: headers,
                                                          body: ByteBuffer(string: payload.replacingOccurrences(of: "100", with: "101")))
            #expect(reused.status == .unprocessableContent)
            let count: Int = try await fixture.pool.query("SELECT count(*) AS n FROM payouts").single!.decode("n")
            #expect(count == 2)
            let (available, inFlight) = try await fixture.balance()
            #expect(available == 9850 - 5100 && inFlight == 5100)
        }
    }

    @Test func balanceOrderQueryAndJWTCreateAnswerLikeSeed000() async throws {
        try await withPayouts("payseed000", sandbox: false) { fixture in
            try await fixture.fund("1000")
            // jwt/create signs sorted params with the API key; the token then signs a GET balance call.
            let timestamp = Int64(Date().timeIntervalSince1970)
            let made = try await fixture.client.execute(
                uri: "/api/v1/jwt/create", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("x-api-key")!: fixture.credentials.apiKey],
                body: ByteBuffer(string: #"{"params":{"timestamp":\#(timestamp)}}"#))
            let token = try #require((try fixture.json(made)["data"] as? [String: Any])?["signature"] as? String)
            let balance = try await fixture.client.execute(
                uri: "/api/v1/balance?timestamp=\(timestamp)&signature=\(token)", method: .get,
                headers: [HTTPField.Name("x-api-key")!: fixture.credentials.apiKey])
            #expect(balance.status == .ok, "\(String(buffer: balance.body))")
            let data = try #require(try fixture.json(balance)["data"] as? [String: Any])
            #expect(data["balance"] as? Double == 985 && data["currency"] as? String == "THB")

            // Seed 000's withdrawal fields, signed with a JWT from jwt/create.
            let params = #"{"agent_order_no":"WD-0001","amount":100,"bank_code":"KBANK","account_no":"1112223334","account_name":"Somchai","callback_url":"\#(fixture.callbackURL)","timestamp":\#(timestamp + 1)}"#
            let signed = try await fixture.client.execute(
                uri: "/api/v1/jwt/create", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("x-api-key")!: fixture.credentials.apiKey],
                body: ByteBuffer(string: #"{"params":\#(params)}"#))
            let signature = try #require((try fixture.json(signed)["data"] as? [String: Any])?["signature"] as? String)
            let withdrawal = try await fixture.client.execute(
                uri: "/api/v1/payout/create", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("x-api-key")!: fixture.credentials.apiKey],
                body: ByteBuffer(string: String(params.dropLast()) + #","signature":"\#(signature)"}"#))
            #expect(withdrawal.status == .ok, "\(String(buffer: withdrawal.body))")
            let order = try #require(try fixture.json(withdrawal)["data"] as? [String: Any])
            #expect(order["agent_order_no"] as? String == "WD-0001" && order["status"] as? String == "created")
            #expect(order["transfer_amount"] as? Double == 98.5 && order["fee"] as? Double == 1.5)

            let query = try fixture.json(try await fixture.get("/api/v1/order?agent_order_no=WD-0001"))
            let found = try #require(query["data"] as? [String: Any])
            #expect(found["type"] as? String == "withdrawal" && found["order_no"] as? String == order["order_no"] as? String)
            let missing = try await fixture.get("/api/v1/order?order_no=DEP0000000000XXXXXX")
            #expect(missing.status == .notFound)
            let none = try await fixture.get("/api/v1/order")
            #expect(none.status == .badRequest)
        }
    }
}
