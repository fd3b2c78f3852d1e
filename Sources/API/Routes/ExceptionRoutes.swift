import Foundation
import Hummingbird
import Payments

/// `GET /api/v1/exceptions`: the calling merchant's reconciliation exceptions (late successes and the like).
struct ExceptionRoutes: Sendable {
    let exceptions: ReconciliationExceptions

    func register(on group: RouterGroup<SatangRequestContext>) {
        group.get("exceptions") { _, context in try await self.list(context) }
    }

    func list(_ context: SatangRequestContext) async throws -> Response {
        let merchant = try context.authenticatedMerchant()
        let items = try await exceptions.list(merchantID: merchant.id)
        let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let body = JSONValue.object([
            ("success", .bool(true)),
            ("data", .array(items.map { item in
                .object([
                    ("id", .number(String(item.id))), ("paymentId", item.paymentID.map { .string($0.lowercasedText) } ?? .null),
                    ("kind", .string(item.kind)), ("detail", (try? JSONParser.parse(Array(item.detail.utf8))) ?? .null),
                    ("createdAt", .string(item.createdAt.formatted(time))),
                ])
            })),
        ])
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: body.serialized)))
    }
}
