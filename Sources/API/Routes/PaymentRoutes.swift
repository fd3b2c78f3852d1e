import Foundation
import HTTPTypes
import Hummingbird
import Payments

/// The payments registry (seed 002): `POST /api/v1/payments` and `GET /api/v1/payments/:id`.
struct PaymentRoutes: Sendable {
    let payments: PaymentRegistry

    static let idempotencyKey = HTTPField.Name("X-Idempotency-Key")!
    static let standardIdempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!

    func register(on group: RouterGroup<SatangRequestContext>) {
        group.post("payments") { request, context in try await self.create(request, context) }
        group.get("payments") { request, context in try await self.list(request, context) }
        group.get("payments/:id") { request, context in try await self.show(request, context) }
        group.get("payments/:id/events") { request, context in try await self.events(request, context) }
    }

    func create(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        let merchant = try context.authenticatedMerchant()
        guard let key = request.headers[Self.idempotencyKey] ?? request.headers[Self.standardIdempotencyKey], !key.isEmpty
        else {
            throw APIError(status: .badRequest, errorCode: "VALIDATION_ERROR",
                           message: "X-Idempotency-Key is required on POST /api/v1/payments", details: ["field": "X-Idempotency-Key"])
        }
        guard key.count <= 255 else {
            throw APIError(status: .badRequest, errorCode: "VALIDATION_ERROR",
                           message: "X-Idempotency-Key is at most 255 characters", details: ["field": "X-Idempotency-Key"])
        }
        let registration = try PaymentRequestBody.decode(context.rawBody, merchant: merchant)
        let idempotency = IdempotentRequest(key: key, method: "POST", path: "/api/v1/payments", body: context.rawBody)
        let outcome = try await PaymentErrorMapping.mapping {
            try await payments.register(registration, by: merchant, idempotency: idempotency) { payment in
                StoredResponse(status: 202, body: Array(PaymentRepresentation.json(payment).serialized.utf8))
            }
        }
        switch outcome {
        case .created(_, let stored): return Self.response(stored, replayed: false)
        case .replayed(let stored): return Self.response(stored, replayed: true)
        }
    }

    func show(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        let merchant = try context.authenticatedMerchant()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw PaymentErrorMapping.apiError(for: .notFound)
        }
        if let sourceID = request.uri.queryParameters.get("sourceId"), sourceID != merchant.code {
            throw PaymentErrorMapping.apiError(for: .notFound)
        }
        let payment = try await PaymentErrorMapping.mapping { try await payments.payment(id, of: merchant) }
        return Self.response(StoredResponse(status: 200, body: Array(PaymentRepresentation.json(payment).serialized.utf8)), replayed: nil)
    }

    /// `GET /api/v1/payments`: a page of the merchant's payments in seed 003's envelope.
    func list(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        let merchant = try context.authenticatedMerchant()
        let query = try PaymentListQuery.parse(request.uri.queryParameters, merchant: merchant)
        let (page, total) = try await payments.list(query, of: merchant)
        let body = JSONValue.object([
            ("success", .bool(true)),
            ("data", .object([
                ("data", .array(page.map(PaymentRepresentation.json))),
                ("total", .number(String(total))),
                ("page", .number(String(query.page))),
                ("limit", .number(String(query.limit))),
                ("totalPages", .number(String((total + query.limit - 1) / query.limit))),
            ])),
        ])
        return Self.response(StoredResponse(status: 200, body: Array(body.serialized.utf8)), replayed: nil)
    }

    /// `GET /api/v1/payments/:id/events`: the payment's transitions, oldest first.
    func events(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        let merchant = try context.authenticatedMerchant()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw PaymentErrorMapping.apiError(for: .notFound)
        }
        let events = try await PaymentErrorMapping.mapping { try await payments.events(of: id, merchant: merchant) }
        let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let body = JSONValue.object([
            ("paymentId", .string(id.lowercasedText)),
            ("events", .array(events.map { event in
                .object([
                    ("from", event.from.map { .string($0.rawValue) } ?? .null), ("to", .string(event.to.rawValue)),
                    ("actor", .string(event.actor)), ("reason", .string(event.reason)), ("at", .string(event.at.formatted(time))),
                ])
            })),
        ])
        return Self.response(StoredResponse(status: 200, body: Array(body.serialized.utf8)), replayed: nil)
    }

    static func response(_ stored: StoredResponse, replayed: Bool?) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let replayed, replayed { headers[Self.replayed] = "true" }
        return Response(
            status: HTTPResponse.Status(code: stored.status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: stored.body)))
    }
}
