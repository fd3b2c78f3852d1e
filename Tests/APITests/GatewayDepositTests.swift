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

/// Seed 001's deposit API over real HTTP against PostgreSQL: the QR code, validation, unique amounts,
/// cancel and payment.
@Suite struct GatewayDepositTests: GatewayTestSuite {
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
}
