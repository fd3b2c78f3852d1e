import API
import Crypto
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

/// Outbox events reach the merchant's callback URL signed the Standard Webhooks way, also after the
/// receiver was down for a while; every attempt is recorded. Unsafe URLs are refused.
@Suite struct CallbackDeliveryTests {
    struct Received: Sendable {
        var id: String
        var timestamp: String
        var signature: String
        var body: String
    }

    @Test func eventsAreDeliveredSignedAndRetriedUntilTheReceiverAnswers() async throws {
        let received = Locked<[Received]>([])
        let router = Router()
        router.post("cb") { request, _ -> HTTPResponse.Status in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 1 << 16))
            received.withLock {
                $0.append(Received(
                    id: request.headers[HTTPField.Name("webhook-id")!] ?? "", timestamp: request.headers[HTTPField.Name("webhook-timestamp")!] ?? "",
                    signature: request.headers[HTTPField.Name("webhook-signature")!] ?? "", body: body))
            }
            return .noContent
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await receiver.test(.live) { receiverClient in
            let port = try #require(receiverClient.port)
            try await withMigratedTestDatabase("callbacks", poolSize: 4) { _, pool in
                let merchants = MerchantRegistry(pool: pool)
                let (merchant, credentials) = try await merchants.create(MerchantRegistration(
                    code: "CB", name: "Callbacks", providers: ["KBANK"], defaultProvider: "KBANK",
                    callbackURL: "http://127.0.0.1:1/cb", allowInsecureCallback: true))
                let event = try await pool.transaction { connection in
                    try Outbox.append(merchantID: merchant.id, type: "payment.status_changed",
                                      payload: #"{"status":"SUCCEEDED","amount":"10.00"}"#, on: connection)
                }
                let worker = CallbackDeliveryWorker(pool: pool, target: CallbackTarget(allowInsecure: true), logger: Logger(label: "test"))
                // The receiver is down (nothing listens on port 1): the attempt is recorded and retried later.
                #expect(try await worker.deliverDue() == 1)
                let pending = try await pool.query(
                    "SELECT delivered_at IS NULL AS open, next_attempt_at > now() AS later, attempts FROM outbox_events"
                ).single!
                #expect(try pending.decode("open", as: Bool.self) && pending.decode("later", as: Bool.self))
                // The receiver comes back; the retry is due.
                try await pool.query("UPDATE merchants SET callback_url = $1::text", [.string("http://127.0.0.1:\(port)/cb")])
                try await pool.query("UPDATE outbox_events SET next_attempt_at = now()")
                #expect(try await worker.deliverDue() == 1)
                let delivered = received.value
                #expect(delivered.count == 1)
                let message = try #require(delivered.first)
                #expect(message.id == event.uuidString.lowercased())
                #expect(message.body == #"{"amount": "10.00", "status": "SUCCEEDED"}"#)
                let mac = HMAC<SHA256>.authenticationCode(
                    for: Data("\(message.id).\(message.timestamp).\(message.body)".utf8),
                    using: SymmetricKey(data: Data(credentials.apiSecret.utf8)))
                #expect(message.signature == "v1," + Data(mac).base64EncodedString())
                let attempts = try await pool.query("SELECT http_status FROM callback_attempts ORDER BY attempt")
                #expect(try attempts.map { try $0.decode("http_status", as: Int?.self) } == [nil, 204])
                #expect(try await worker.deliverDue() == 0, "a delivered event is not sent again")
            }
        }
    }

    @Test(arguments: [
        ("http://example.com/cb", "https"), ("https://127.0.0.1/cb", "private"), ("https://10.1.2.3/cb", "private"),
        ("https://192.168.1.1/cb", "private"), ("https://169.254.169.254/latest", "private"), ("https://[::1]/cb", "private"),
        ("not a url", "host"),
    ])
    func unsafeCallbackURLsAreRefused(_ url: String, _ reason: String) {
        let refusal = CallbackTarget(allowInsecure: false).refusal(for: url)
        #expect(refusal?.contains(reason) == true, "\(url): \(String(describing: refusal))")
    }
}
