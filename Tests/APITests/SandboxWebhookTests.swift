import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Payments
import SatangTestSupport
import Testing

/// The sandbox bank's webhooks arrive signed with the provider's secret, and keep coming while Satang
/// cannot take them yet (nothing listening, or 409 because the payment is not PENDING), then stop.
@Suite(.timeLimit(.minutes(1))) struct SandboxWebhookTests {
    struct Delivery: Sendable {
        var timestamp: String
        var signature: String
        var body: String
    }

    @Test func webhooksAreSignedAndRetriedUntilAccepted() async throws {
        let deliveries = Locked<[Delivery]>([])
        let router = Router()
        router.post("api/v1/webhooks/providers/:provider") { request, context -> HTTPResponse.Status in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 1 << 16))
            guard context.parameters.get("provider") == "SCB" else { return .notFound }
            let count = deliveries.withLock {
                $0.append(Delivery(
                    timestamp: request.headers[HTTPField.Name("X-Timestamp")!] ?? "",
                    signature: request.headers[HTTPField.Name("X-Signature")!] ?? "", body: body))
                return $0.count
            }
            return count <= 2 ? .conflict : .ok  // "not PENDING yet" twice, then accepted
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await receiver.test(.live) { client in
            let port = try #require(client.port)
            // Nothing listens on port 1: the first attempts are refused connections.
            let sandbox = SandboxProvider(
                webhookBaseURL: "http://127.0.0.1:1", secrets: [.scb: "scb-secret"], logger: Logger(label: "test"),
                delay: .milliseconds(50))
            let running = Task { try await sandbox.run() }
            let paymentID = UUID()
            sandbox.payDeposit(paymentID: paymentID, provider: .scb)
            try await Task.sleep(for: .milliseconds(200))
            #expect(deliveries.value.isEmpty)
            sandbox.serverIsListening(port: port)
            let deadline = ContinuousClock.now + .seconds(10)
            while deliveries.value.count < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            try await Task.sleep(for: .milliseconds(300))
            let received = deliveries.value
            #expect(received.count == 3, "two 409s, then accepted, then nothing more")
            for delivery in received {
                #expect(delivery.body.contains(#""paymentId":"\#(paymentID.uuidString.lowercased())""#))
                #expect(delivery.body.contains(#""status":"SUCCEEDED""#))
                let mac = HMAC<SHA256>.authenticationCode(
                    for: Data("\(delivery.timestamp).\(delivery.body)".utf8), using: SymmetricKey(data: Data("scb-secret".utf8)))
                #expect(delivery.signature == "sha256=" + mac.map { String(format: "%02x", $0) }.joined())
            }
            running.cancel()
            _ = await running.result  // the lanes stop when cancelled (the time limit fails the test otherwise)
        }
    }
}
