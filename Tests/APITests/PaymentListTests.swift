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

/// `GET /api/v1/payments`: filters, stable paging and seed 003's envelope; bad values are 400s.
@Suite struct PaymentListTests {
    private func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any] ?? [:]
    }

    @Test func pagesFiltersAndSorts() async throws {
        try await withMigratedTestDatabase("paylist", poolSize: 6) { _, pool in
            let (merchant, credentials) = try await MerchantRegistry(pool: pool).create(
                MerchantRegistration(code: "LISTSRC", name: "Lister", providers: ["KBANK", "SCB"], defaultProvider: "KBANK"))
            let registry = PaymentRegistry(pool: pool)
            for index in 1...25 {
                _ = try await registry.register(
                    PaymentRegistration(sourceID: "LISTSRC", sourcePaymentID: "P\(index)", amountText: "\(index % 5 + 1)00",
                                        currency: "THB", provider: index % 2 == 0 ? "SCB" : nil, description: nil, metadata: "{}"),
                    by: merchant, idempotency: IdempotentRequest(key: "k\(index)", method: "POST", path: "/", body: [])
                ) { _ in StoredResponse(status: 202, body: []) }
            }
            let app = buildApplication(settings: ServerSettings(port: 0), pool: pool, logger: Logger(label: "test"))
            let headers: HTTPFields = [HTTPField.Name("X-API-Key")!: credentials.apiKey]
            try await app.test(.live) { client in
                func page(_ query: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                    let response = try await client.execute(uri: "/api/v1/payments?\(query)", method: .get, headers: headers)
                    return (response.status, try json(response.body))
                }
                let (status, first) = try await page("")
                #expect(status == .ok)
                #expect(first["success"] as? Bool == true)
                let envelope = try #require(first["data"] as? [String: Any])
                #expect(envelope["total"] as? Int == 25)
                #expect(envelope["limit"] as? Int == 20)
                #expect(envelope["totalPages"] as? Int == 2)
                let firstIDs = (envelope["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
                #expect(firstIDs.count == 20)
                let (_, second) = try await page("page=2")
                let secondIDs = ((second["data"] as? [String: Any])?["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
                #expect(secondIDs.count == 5)
                #expect(Set(firstIDs).isDisjoint(with: secondIDs), "pages never overlap")

                // Sorted by amount ascending; ties broken by id, so the order is the same every time.
                let (_, byAmount) = try await page("sortBy=amount&sortOrder=asc&limit=100")
                let amounts = ((byAmount["data"] as? [String: Any])?["data"] as? [[String: Any]])?.compactMap { ($0["amount"] as? NSNumber)?.doubleValue } ?? []
                #expect(amounts == amounts.sorted())
                let (_, again) = try await page("sortBy=amount&sortOrder=asc&limit=100")
                #expect(NSDictionary(dictionary: again) == NSDictionary(dictionary: byAmount))

                let (_, scb) = try await page("provider=SCB&status=NOT_SENT")
                #expect((scb["data"] as? [String: Any])?["total"] as? Int == 12)
                let (_, one) = try await page("sourcePaymentId=P7")
                #expect((one["data"] as? [String: Any])?["total"] as? Int == 1)
                let (_, future) = try await page("dateFrom=2099-01-01")
                #expect((future["data"] as? [String: Any])?["total"] as? Int == 0)

                for bad in ["limit=101", "limit=0", "page=0", "status=PAID", "provider=VISA", "sortBy=secret", "sortOrder=up",
                            "dateFrom=yesterday", "dateFrom=2026-12-01&dateTo=2026-11-01"] {
                    let (badStatus, answer) = try await page(bad)
                    #expect(badStatus == .badRequest, "\(bad)")
                    #expect(answer["errorCode"] as? String == "VALIDATION_ERROR", "\(bad)")
                }
                let (forbidden, _) = try await page("sourceId=SOMEONE_ELSE")
                #expect(forbidden == .forbidden)
            }
        }
    }
}
