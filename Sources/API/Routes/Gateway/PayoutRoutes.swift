import Foundation
import HTTPTypes
import Hummingbird
import Payments

/// Seed 001's payout endpoints (seed 000's withdrawal fields accepted on create), behind gateway authentication.
struct PayoutRoutes: Sendable {
    let payouts: PayoutRegistry

    func register(on group: RouterGroup<SatangRequestContext>) {
        group.post("payout/create") { request, context in try await self.create(request, context) }
        group.get("payout/:id") { _, context in
            let merchant = try context.authenticatedMerchant()
            let payout = try await GatewayErrors.mapping { try await payouts.payout(context.parameters.get("id") ?? "", of: merchant) }
            return JSONBody.response(status: .ok, [("success", .bool(true)), ("data", PayoutRepresentation.dpay(payout))])
        }
        group.get("payouts") { request, context in try await self.list(request, context) }
        group.post("payout/:id/cancel") { _, context in
            let merchant = try context.authenticatedMerchant()
            let payout = try await GatewayErrors.mapping { try await payouts.cancel(context.parameters.get("id") ?? "", by: merchant) }
            return JSONBody.response(status: .ok, [
                ("success", .bool(true)), ("status", .string("success")), ("message", .string("Payout cancelled successfully")),
                ("data", PayoutRepresentation.dpay(payout)),
            ])
        }
    }

    func create(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        let merchant = try context.authenticatedMerchant()
        let body = try PayoutRequestBody(try GatewayAuthenticationMiddleware.fields(of: request, body: context.rawBody))
        let idempotency = try GatewayIdempotency.request(request, body: context.rawBody)
        let outcome = try await GatewayErrors.mapping {
            do {
                return try await payouts.create(body.request, by: merchant, idempotency: idempotency) { payout in
                    let document: [(String, JSONValue)] = switch body.style {
                    case .dpay: [("success", .bool(true)), ("data", PayoutRepresentation.dpay(payout))]
                    case .seed000: [("code", .number("200")), ("message", .string("Success")), ("data", PayoutRepresentation.seed000(payout))]
                    }
                    return StoredResponse(status: 200, body: Array(JSONValue.object(document).serialized.utf8))
                }
            } catch let error as PayoutError {
                throw body.renamed(error)
            }
        }
        switch outcome {
        case .created(_, let stored): return PaymentRoutes.response(stored, replayed: false)
        case .replayed(let stored): return PaymentRoutes.response(stored, replayed: true)
        }
    }

    func list(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        let merchant = try context.authenticatedMerchant()
        let query = try GatewayQuery(request.uri.queryParameters, defaultLimit: 20)
        var statuses: [PayoutStatus]?
        if let word = request.uri.queryParameters.get("status") {
            statuses = PayoutStatus.matching(word: word.lowercased())
            if statuses == nil {
                throw GatewayErrors.validation(["status": "one of pending, processing, completed, failed, cancelled (or created, waiting, in batch)"])
            }
        }
        let (page, total) = try await payouts.list(
            statuses: statuses, createdFrom: query.from, createdTo: query.to, page: query.page, limit: query.limit, of: merchant)
        return JSONBody.response(status: .ok, [
            ("success", .bool(true)),
            ("data", .object([("data", .array(page.map(PayoutRepresentation.dpay)))] + query.pagination(total: total))),
        ])
    }
}
