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

/// The gateway's authentication and the seeds' other shapes: seed 000's fields signed with a JWT, every
/// signature check, the banks lists, and merchants' IP allow-lists.
@Suite struct GatewayAuthenticationTests: GatewayTestSuite {
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
