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

/// Seed 001's deposit API and seed 000's request fields, over real HTTP against PostgreSQL, signed the
/// way the seeds' own samples sign (helpers below are written from the seeds, not from Satang's code).
@Suite struct GatewayDepositTests {
    static let providerSecret = "kbank-webhook-secret-for-gateway-tests-0123"

    struct Fixture {
        var pool: PostgresPool
        var merchant: Merchant
        var credentials: APICredentials
        var account: ReceivingAccount
    }

    private func withGateway(
        _ label: String, allowedIPs: [String] = [], _ body: @escaping @Sendable (Fixture, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await withMigratedTestDatabase(label, poolSize: 8) { _, pool in
            let (merchant, credentials) = try await MerchantRegistry(pool: pool).create(MerchantRegistration(
                code: "testmerchant", name: "Test Merchant Co., Ltd.", providers: ["KBANK"], defaultProvider: "KBANK",
                feePercent: "1.50", allowedIPs: allowedIPs))
            let account = try await ReceivingAccounts(pool: pool).add(
                bank: "KBANK", accountNo: "1234567890", accountName: "Platform Bank Account", promptPayID: "0812223333")
            let app = buildApplication(
                settings: ServerSettings(port: 0, providerSecrets: ["KBANK": Self.providerSecret]), pool: pool, logger: Logger(label: "test"))
            try await app.test(.live) { client in
                try await body(Fixture(pool: pool, merchant: merchant, credentials: credentials, account: account), client)
            }
        }
    }

    // MARK: Signing as the seeds do

    static var nowMilliseconds: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Seed 001: HMAC-SHA256 hex over `key=value` sorted by key, joined with `&`, keyed with the API secret.
    static func dpaySignature(_ params: [String: String], secret: String) -> String {
        let text = params.keys.sorted().map { "\($0)=\(params[$0]!)" }.joined(separator: "&")
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Seed 000: `jwt.sign(sortedParams, apiKey, {algorithm: 'HS256', noTimestamp: true})`; `payload` is
    /// the JSON.stringify of the sorted params, written by the caller.
    static func jwt(payload: String, key: String) -> String {
        func base64url(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        let head = base64url(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + base64url(Data(payload.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(head.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return head + "." + base64url(Data(mac))
    }

    static func headers(_ fixture: Fixture, secret: Bool = true) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json", HTTPField.Name("X-API-Key")!: fixture.credentials.apiKey]
        if secret { fields[HTTPField.Name("X-API-Secret")!] = fixture.credentials.apiSecret }
        return fields
    }

    /// Seed 001's example request, signed like its JavaScript sample (amount and timestamp as strings).
    static func dpayDeposit(_ fixture: Fixture, amount: String = "1000.00", signedAmount: String? = nil, timestamp: Int64 = nowMilliseconds) -> String {
        let params = ["account_no": "1234567890", "acc_name": "John Doe", "bank_code": "KBANK", "amount": signedAmount ?? amount,
                      "callback_url": "https://your-domain.com/callback", "timestamp": "\(timestamp)"]
        let signature = dpaySignature(params, secret: fixture.credentials.apiSecret)
        return #"{"account_no":"1234567890","acc_name":"John Doe","bank_code":"KBANK","amount":\#(amount),"callback_url":"https://your-domain.com/callback","signature":"\#(signature)","timestamp":\#(timestamp)}"#
    }

    private func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any] ?? [:]
    }

    // MARK: Tests

    @Test func seed001ExampleCreatesADepositWithAQRCodeThatScans() async throws {
        try await withGateway("gwdeposit") { fixture, client in
            let created = try await client.execute(uri: "/api/v1/deposit/create", method: .post, headers: Self.headers(fixture),
                                                   body: ByteBuffer(string: Self.dpayDeposit(fixture)))
            #expect(created.status == .ok, "\(String(buffer: created.body))")
            let document = try json(created.body)
            #expect(document["success"] as? Bool == true)
            let data = try #require(document["data"] as? [String: Any])
            let reference = try #require(data["txn_id"] as? String)
            #expect(reference.range(of: #"^DEP[0-9]{10}[A-Z0-9]{6}$"#, options: .regularExpression) != nil)
            #expect(data["status"] as? String == "pending")
            #expect(data["channel"] as? String == "QR")
            #expect(String(buffer: created.body).contains(#""amount":1000.00"#))
            #expect(String(buffer: created.body).contains(#""fee":15.00"#) && String(buffer: created.body).contains(#""net_amount":985.00"#))
            #expect(String(buffer: created.body).contains(#""fee_percent":1.50"#))
            #expect(data["promptpay_number"] as? String == "0812223333")
            let payload = "00020101021229370016A0000006770101110113006681222333353037645802TH54071000.006304"
            let qrcode = try #require(data["qrcode"] as? String)
            #expect(qrcode.hasPrefix(payload) && qrcode.count == payload.count + 4)
            #expect((data["bank_data"] as? [String: String])?["account_no"] == "1234567890")
            let expires = try #require((data["expire_date"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(expires.timeIntervalSinceNow - 900) < 60)

            // The QR image decodes back to the exact payload.
            let imageURL = try #require(data["qrcode_url"] as? String)
            let imagePath = try #require(URLComponents(string: imageURL)?.path)
            let image = try await client.execute(uri: imagePath, method: .get)
            #expect(image.headers[.contentType] == "image/png")
            #expect(try ZBar.read(png: Array(buffer: image.body)) == qrcode)

            // Read back, by the merchant and publicly.
            let shown = try await client.execute(uri: "/api/v1/deposit/\(reference)", method: .get, headers: Self.headers(fixture))
            #expect((try json(shown.body)["data"] as? [String: Any])?["qrcode"] as? String == qrcode)
            let publicStatus = try await client.execute(uri: "/api/v1/deposit/status/\(reference)", method: .get)
            let status = try #require(try json(publicStatus.body)["data"] as? [String: Any])
            #expect(Set(status.keys) == ["txn_id", "status", "amount", "expire_date"])
            let page = try await client.execute(uri: "/pay/\(reference)", method: .get)
            #expect(String(buffer: page.body).contains("1000.00") && String(buffer: page.body).contains("<svg"))
        }
    }

    @Test func seed000FieldsSignedWithAJWTGetSeed000sAnswerAndAUniqueAmount() async throws {
        try await withGateway("gwseed000") { fixture, client in
            // Another open deposit already holds 1000.00 at the same receiving account.
            _ = try await client.execute(uri: "/api/v1/deposit/create", method: .post, headers: Self.headers(fixture),
                                         body: ByteBuffer(string: Self.dpayDeposit(fixture)))
            let timestamp = Self.nowMilliseconds
            let payload = #"{"amount":1000,"bankAccountNumber":"9876543210","bankName":"SCB","callbackUrl":"https://yourdomain.com/api/payment/deposit-callback","merchantId":"testmerchant","name":"John Doe","timestamp":\#(timestamp),"transactionId":"MERCHANT20241009001","type":"QR"}"#
            let signature = Self.jwt(payload: payload, key: fixture.credentials.apiKey)
            let body = #"{"merchantId":"testmerchant","transactionId":"MERCHANT20241009001","bankAccountNumber":"9876543210","bankName":"SCB","name":"John Doe","amount":1000,"callbackUrl":"https://yourdomain.com/api/payment/deposit-callback","type":"QR","timestamp":\#(timestamp),"signature":"\#(signature)"}"#
            let created = try await client.execute(uri: "/api/v1/deposit/create", method: .post,
                                                   headers: Self.headers(fixture, secret: false), body: ByteBuffer(string: body))
            #expect(created.status == .ok, "\(String(buffer: created.body))")
            let document = try json(created.body)
            #expect(document["status"] as? String == "success" && document["message"] as? String == "Create Success")
            let data = try #require(document["data"] as? [String: Any])
            #expect(data["transactionId"] as? String == "MERCHANT20241009001")
            #expect(String(buffer: created.body).contains(#""amount":999.99"#), "lowered a satang: 1000.00 is taken")
            #expect(String(buffer: created.body).contains(#""depositAmount":999.99"#))
            #expect(data["platformBankId"] as? String == fixture.account.id.uuidString.lowercased())

            // The same transactionId again (a new signature): refused as seed 000 says.
            let again = Self.jwt(payload: payload.replacingOccurrences(of: "\(timestamp)", with: "\(timestamp + 1)"), key: fixture.credentials.apiKey)
            let repeated = body.replacingOccurrences(of: "\(timestamp)", with: "\(timestamp + 1)").replacingOccurrences(of: signature, with: again)
            let duplicate = try await client.execute(uri: "/api/v1/deposit/create", method: .post,
                                                     headers: Self.headers(fixture, secret: false), body: ByteBuffer(string: repeated))
            #expect(duplicate.status == .badRequest)
            #expect(try json(duplicate.body)["message"] as? String == "transactionId already exists")
            #expect(try json(duplicate.body)["status"] as? String == "error")
            #expect(try json(duplicate.body)["code"] as? Int == 400)

            // Another merchant's id in merchantId.
            let otherPayload = payload.replacingOccurrences(of: "testmerchant", with: "someoneelse")
            let other = body.replacingOccurrences(of: "testmerchant", with: "someoneelse")
                .replacingOccurrences(of: signature, with: Self.jwt(payload: otherPayload, key: fixture.credentials.apiKey))
            let mismatch = try await client.execute(uri: "/api/v1/deposit/create", method: .post,
                                                    headers: Self.headers(fixture, secret: false), body: ByteBuffer(string: other))
            #expect(mismatch.status == .forbidden)
            #expect(try json(mismatch.body)["message"] as? String == "merchantId does not match API key")
        }
    }

    @Test func everySignatureCheckSaysWhichCheckFailed() async throws {
        try await withGateway("gwsign") { fixture, client in
            func post(_ body: String, secret: Bool = false) async throws -> (HTTPResponse.Status, [String: Any]) {
                let response = try await client.execute(uri: "/api/v1/deposit/create", method: .post,
                                                        headers: Self.headers(fixture, secret: secret), body: ByteBuffer(string: body))
                return (response.status, try json(response.body))
            }
            // JavaScript's String(number) form of the amount is accepted as well as the text as written.
            let jsForm = try await post(Self.dpayDeposit(fixture, amount: "500.10", signedAmount: "500.1"))
            #expect(jsForm.0 == .ok, "\(jsForm.1)")
            let signed = Self.dpayDeposit(fixture, amount: "700.00")
            #expect(try await post(signed).0 == .ok)
            let replay = try await post(signed)
            #expect(replay.0 == .badRequest && replay.1["errorCode"] as? String == "SIGNATURE_REPLAYED")
            // The same MAC spelt in capitals is the same signature.
            let signature = try #require(signed.range(of: #""signature":"[0-9a-f]{64}""#, options: .regularExpression).map { String(signed[$0]) })
            let shouted = try await post(signed.replacingOccurrences(of: signature, with: signature.uppercased().replacingOccurrences(of: "SIGNATURE", with: "signature")))
            #expect(shouted.1["errorCode"] as? String == "SIGNATURE_REPLAYED", "\(shouted.1)")
            // A signed request retried under its idempotency key gets its stored answer; under a new key it is a replay.
            var keyed = Self.headers(fixture, secret: false)
            keyed[HTTPField.Name("X-Idempotency-Key")!] = "deposit-retry-1"
            let once = Self.dpayDeposit(fixture, amount: "640.00")
            let first = try await client.execute(uri: "/api/v1/deposit/create", method: .post, headers: keyed, body: ByteBuffer(string: once))
            let again = try await client.execute(uri: "/api/v1/deposit/create", method: .post, headers: keyed, body: ByteBuffer(string: once))
            #expect(first.status == .ok && String(buffer: again.body) == String(buffer: first.body))
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let resigned = try await client.execute(uri: "/api/v1/deposit/create", method: .post, headers: keyed,
                                                    body: ByteBuffer(string: Self.dpayDeposit(fixture, amount: "640.00", timestamp: Self.nowMilliseconds + 1)))
            #expect(String(buffer: resigned.body) == String(buffer: first.body), "signed anew, same fields: the same deposit")
            keyed[HTTPField.Name("X-Idempotency-Key")!] = "deposit-retry-2"
            let newKey = try await client.execute(uri: "/api/v1/deposit/create", method: .post, headers: keyed, body: ByteBuffer(string: once))
            #expect(try json(newKey.body)["errorCode"] as? String == "SIGNATURE_REPLAYED")
            let tampered = try await post(Self.dpayDeposit(fixture, amount: "800.00").replacingOccurrences(of: "800.00", with: "8000.00"))
            #expect(tampered.0 == .badRequest && tampered.1["errorCode"] as? String == "INVALID_SIGNATURE")
            #expect((tampered.1["message"] as? String)?.contains("HMAC-SHA256") == true)
            let stale = try await post(Self.dpayDeposit(fixture, timestamp: Self.nowMilliseconds - 6 * 60 * 1000))
            #expect(stale.0 == .badRequest && stale.1["errorCode"] as? String == "TIMESTAMP_OUT_OF_WINDOW")
            let garbage = try await post(#"{"amount":1,"signature":"nope","timestamp":\#(Self.nowMilliseconds)}"#)
            #expect(garbage.0 == .badRequest && (garbage.1["message"] as? String)?.contains("neither a JWT") == true)
            let unsigned = try await post(#"{"amount":1}"#)
            #expect(unsigned.0 == .unauthorized && unsigned.1["errorCode"] as? String == "SIGNATURE_REQUIRED")
            var wrongSecret = Self.headers(fixture)
            wrongSecret[HTTPField.Name("X-API-Secret")!] = "ss_wrong"
            let refused = try await client.execute(uri: "/api/v1/client/banks", method: .get, headers: wrongSecret)
            #expect(refused.status == .unauthorized)
            let noKey = try await client.execute(uri: "/api/v1/client/banks", method: .get)
            let noKeyMessage = try json(noKey.body)["message"] as? String
            #expect(noKey.status == .unauthorized && noKeyMessage == "Invalid API key")
        }
    }

    @Test func everyValidationRuleIsNamed() async throws {
        try await withGateway("gwvalid") { fixture, client in
            let cases: [(String, String)] = [
                (#""account_no":"123456789""#, "account_no"), (#""account_no":"1234567890123456""#, "account_no"),
                (#""acc_name":"J""#, "acc_name"), (#""bank_code":"NOPE""#, "bank_code"), (#""amount":0.99"#, "amount"),
                (#""amount":2000000.01"#, "amount"), (#""amount":10.001"#, "amount"), (#""amount":"ten""#, "amount"),
                (#""callback_url":"http://your-domain.com/callback""#, "callback_url"), (#""extra":1"#, "extra"),
            ]
            let valid = ["\"account_no\":\"1234567890\"", "\"acc_name\":\"John Doe\"", "\"bank_code\":\"KBANK\"", "\"amount\":100",
                         "\"callback_url\":\"https://your-domain.com/callback\""]
            for (field, name) in cases {
                let key = field.split(separator: ":")[0]
                let members = valid.filter { !$0.hasPrefix(key) } + [field]
                let response = try await client.execute(uri: "/api/v1/deposit/create", method: .post, headers: Self.headers(fixture),
                                                        body: ByteBuffer(string: "{" + members.joined(separator: ",") + "}"))
                let document = try json(response.body)
                #expect(response.status == .badRequest, "\(field)")
                #expect((document["fields"] as? String)?.split(separator: ",").contains(Substring(name)) == true, "\(field): \(document)")
            }
            let nul = try await client.execute(uri: "/api/v1/deposit/create", method: .post, headers: Self.headers(fixture),
                body: ByteBuffer(string: #"{"account_no":"1234567890","acc_name":"Jo\u0000hn","bank_code":"KBANK","amount":100,"callback_url":"https://x.example/cb"}"#))
            let nulFields = try json(nul.body)["fields"] as? String
            #expect(nul.status == .badRequest && nulFields == "acc_name")
            // A Thai name of 100 code points (tone marks and vowels count, as in PostgreSQL) is accepted.
            let thai = String(repeating: "น้ำ", count: 33) + "ก"
            let named = try await client.execute(uri: "/api/v1/deposit/create", method: .post, headers: Self.headers(fixture),
                body: ByteBuffer(string: #"{"account_no":"1234567890","acc_name":"\#(thai)","bank_code":"KBANK","amount":100,"callback_url":"https://x.example/cb"}"#))
            #expect(named.status == .ok, "\(String(buffer: named.body))")
            let today = Date().formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "Asia/Bangkok")!).year().month().day())
            let listed = try await client.execute(uri: "/api/v1/deposits?date_from=\(today)&date_to=\(today)", method: .get, headers: Self.headers(fixture))
            let listedTotal = (try json(listed.body)["data"] as? [String: Any])?["total"] as? Int
            #expect(listedTotal == 1, "a date alone as date_to means the whole day")
            let empty = try await client.execute(uri: "/api/v1/deposit/create", method: .post, headers: Self.headers(fixture), body: ByteBuffer(string: "{}"))
            #expect(try json(empty.body)["fields"] as? String == "acc_name,account_no,amount,bank_code,callback_url")
        }
    }

    @Test func fiftyConcurrentDepositsOfOneAmountEachPayAUniqueAmount() async throws {
        try await withGateway("gwunique") { fixture, client in
            let amounts = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let body = #"{"account_no":"12345678\#(String(format: "%02d", index))","acc_name":"Customer \#(index)","bank_code":"SCB","amount":250,"callback_url":"https://shop.example/cb"}"#
                        let response = try await client.execute(uri: "/api/v1/deposit/create", method: .post,
                                                                headers: Self.headers(fixture), body: ByteBuffer(string: body))
                        let data = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                        return String(describing: (data?["data"] as? [String: Any])?["amount"] ?? "missing \(response.status)")
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(amounts).count == 50, "\(amounts.sorted())")
            let expected = Set((0..<50).map { Money.minor(25_000 - Int64($0)).decimalText })
            let paid: [String] = try await fixture.pool.query("SELECT amount FROM payments").map { Money.minor(try $0.decode("amount")).decimalText }
            #expect(Set(paid) == expected)
        }
    }

    @Test func cancelPaidAndExpiredDepositsReleaseTheirAmount() async throws {
        try await withGateway("gwcancel") { fixture, client in
            func create() async throws -> [String: Any] {
                let response = try await client.execute(
                    uri: "/api/v1/deposit/create", method: .post, headers: Self.headers(fixture),
                    body: ByteBuffer(string: #"{"account_no":"1234567890","acc_name":"John Doe","bank_code":"KBANK","amount":300,"callback_url":"https://shop.example/cb"}"#))
                return try #require(try json(response.body)["data"] as? [String: Any])
            }
            let first = try await create()
            let reference = try #require(first["txn_id"] as? String)
            let cancelled = try await client.execute(uri: "/api/v1/deposit/\(reference)/cancel", method: .post, headers: Self.headers(fixture))
            #expect(cancelled.status == .ok)
            #expect(try json(cancelled.body)["message"] as? String == "Deposit cancelled successfully")
            let twice = try await client.execute(uri: "/api/v1/deposit/\(reference)/cancel", method: .post, headers: Self.headers(fixture))
            let twiceMessage = try json(twice.body)["message"] as? String
            #expect(twice.status == .conflict && twiceMessage?.contains("cancelled") == true)
            // The customer paid anyway: the money is not dropped, it becomes a reconciliation exception.
            let cancelledPayment: UUID = try await fixture.pool.query(
                "SELECT payment_id FROM deposits WHERE reference = $1::text", [.string(reference)]).single!.decode("payment_id")
            let latePay = #"{"eventId":"kbank-late","paymentId":"\#(cancelledPayment.uuidString.lowercased())","status":"SUCCEEDED"}"#
            let lateTimestamp = String(Self.nowMilliseconds)
            let late = try await client.execute(
                uri: "/api/v1/webhooks/providers/KBANK", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("X-Timestamp")!: lateTimestamp,
                          HTTPField.Name("X-Signature")!: hmac(secret: Self.providerSecret, message: lateTimestamp + "." + latePay)],
                body: ByteBuffer(string: latePay))
            #expect(try json(late.body)["result"] as? String == "late_success_recorded")
            let exceptions: Int = try await fixture.pool.query(
                "SELECT count(*) AS n FROM reconciliation_exceptions WHERE payment_id = $1::uuid AND kind = 'late_success'",
                [.uuid(cancelledPayment)]).single!.decode("n")
            #expect(exceptions == 1)
            // 300.00 is free again.
            let second = try await create()
            #expect(second["amount"] as? Double == 300)

            // Paid by the bank's webhook: SUCCEEDED, booked, the amount freed.
            let paymentID: UUID = try await fixture.pool.query(
                "SELECT payment_id FROM deposits WHERE reference = $1::text", [.string(second["txn_id"] as! String)]).single!.decode("payment_id")
            let webhook = #"{"eventId":"kbank-1","paymentId":"\#(paymentID.uuidString.lowercased())","status":"SUCCEEDED","payerName":"John Doe"}"#
            let timestamp = String(Self.nowMilliseconds)
            let paid = try await client.execute(
                uri: "/api/v1/webhooks/providers/KBANK", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("X-Timestamp")!: timestamp,
                          HTTPField.Name("X-Signature")!: hmac(secret: Self.providerSecret, message: timestamp + "." + webhook)],
                body: ByteBuffer(string: webhook))
            #expect(paid.status == .ok, "\(String(buffer: paid.body))")
            let shown = try await client.execute(uri: "/api/v1/deposit/\(second["txn_id"] as! String)", method: .get, headers: Self.headers(fixture))
            let data = try #require(try json(shown.body)["data"] as? [String: Any])
            #expect(data["status"] as? String == "paid" && data["paid_at"] is String)
            let available = try await Ledger(pool: fixture.pool).account(book: fixture.merchant.bookID, code: AccountCode.merchantAvailable)
            #expect(available.normalBalance.decimalText == "295.50")
            let receipts: Int = try await fixture.pool.query(
                "SELECT count(*) AS n FROM receipts WHERE payment_id = $1::uuid", [.uuid(paymentID)]).single!.decode("n")
            #expect(receipts == 1, "a paid deposit is receipted like any payment")
            let claims: Int = try await fixture.pool.query("SELECT count(*) AS n FROM deposit_amount_claims").single!.decode("n")
            #expect(claims == 0)

            // Each change told the deposit's own callback URL, in seed 001's shape, signed with the API secret.
            let events = try await fixture.pool.query(
                "SELECT target_url, payload::text AS payload FROM outbox_events WHERE event_type = 'deposit.status_changed' ORDER BY created_at")
            #expect(events.count == 2)
            for (event, word) in zip(events, ["cancelled", "paid"]) {
                #expect(try event.decode("target_url", as: String.self) == "https://shop.example/cb")
                let object = try JSONSerialization.jsonObject(with: Data(try event.decode("payload", as: String.self).utf8)) as? [String: Any]
                let data = try #require(object?["data"] as? [String: Any])
                #expect(data["status"] as? String == word)
                let text = data.filter { $0.key != "signature" }.sorted { $0.key < $1.key }.map { key, value in
                    let shown = switch value {
                    case let number as NSNumber: number.doubleValue == number.doubleValue.rounded() ? "\(Int64(number.doubleValue))" : "\(number.doubleValue)"
                    case is NSNull: "null"
                    default: "\(value)"
                    }
                    return "\(key)=\(shown)"
                }.joined(separator: "&")
                let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(fixture.credentials.apiSecret.utf8)))
                #expect(data["signature"] as? String == mac.map { String(format: "%02x", $0) }.joined(), "\(text)")
                #expect(word == "paid" ? data["paid_at"] is String : data["paid_at"] is NSNull)
            }

            let list = try await client.execute(uri: "/api/v1/deposits?status=cancelled", method: .get, headers: Self.headers(fixture))
            let page = try #require(try json(list.body)["data"] as? [String: Any])
            #expect(page["total"] as? Int == 1 && (page["data"] as? [[String: Any]])?.first?["txn_id"] as? String == reference)
            let bad = try await client.execute(uri: "/api/v1/deposits?status=lost&limit=1000", method: .get, headers: Self.headers(fixture))
            #expect(bad.status == .badRequest)
            #expect(try await LedgerInvariants.check(fixture.pool).hold)
        }
    }

    @Test func banksInBothSeedsShapes() async throws {
        try await withGateway("gwbanks") { fixture, client in
            let all = try await client.execute(uri: "/api/v1/client/banks", method: .get, headers: Self.headers(fixture))
            let page = try #require(try json(all.body)["data"] as? [String: Any])
            let banks = try #require(page["data"] as? [[String: Any]])
            #expect(banks.count == 19 && page["total"] as? Int == 19)
            #expect(banks[0]["bank_code"] as? String == "KBANK" && banks[0]["int_code"] as? String == "004")
            #expect(banks[0]["bank_logo"] as? String == "https://white-lable.sgp1.cdn.digitaloceanspaces.com/banks-logos/KBANK.png")
            #expect(banks[0]["bank_name_th"] as? String == "ธนาคารกสิกรไทย")
            for (search, code) in [("kasikorn", "KBANK"), ("014", "SCB"), ("กรุงไทย", "KTB"), ("tcrb", "TCRB")] {
                let uri = "/api/v1/client/banks?search=" + search.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let found = try await client.execute(uri: uri, method: .get, headers: Self.headers(fixture))
                let rows = (try json(found.body)["data"] as? [String: Any])?["data"] as? [[String: Any]]
                #expect(rows?.map { $0["bank_code"] as? String } == [code], "\(search)")
            }
            let second = try await client.execute(uri: "/api/v1/client/banks?page=2&limit=5", method: .get, headers: Self.headers(fixture))
            let rows = (try json(second.body)["data"] as? [String: Any])?["data"] as? [[String: Any]]
            #expect(rows?.first?["bank_code"] as? String == "TTB" && rows?.count == 5)
            let bad = try await client.execute(uri: "/api/v1/client/banks?limit=0", method: .get, headers: Self.headers(fixture))
            let badSuccess = try json(bad.body)["success"] as? Bool
            #expect(bad.status == .badRequest && badSuccess == false)
            let seed000 = try await client.execute(uri: "/api/v1/banks", method: .get, headers: Self.headers(fixture))
            let list = try #require((try json(seed000.body)["data"] as? [String: Any])?["banks"] as? [[String: Any]])
            #expect(list.first?["name_th"] as? String == "ธนาคารกสิกรไทย" && list.first?["active"] as? Bool == true)
        }
    }

    @Test func callsFromOutsideTheAllowListAreRefused() async throws {
        try await withGateway("gwallow", allowedIPs: ["10.1.2.0/24"]) { fixture, client in
            let refused = try await client.execute(uri: "/api/v1/client/banks", method: .get, headers: Self.headers(fixture))
            #expect(refused.status == .forbidden)
            #expect((try json(refused.body)["message"] as? String) == "IP not in whitelist")
        }
        try await withGateway("gwallowok", allowedIPs: ["127.0.0.0/8", "::1"]) { fixture, client in
            let allowed = try await client.execute(uri: "/api/v1/client/banks", method: .get, headers: Self.headers(fixture))
            #expect(allowed.status == .ok)
        }
    }
}
