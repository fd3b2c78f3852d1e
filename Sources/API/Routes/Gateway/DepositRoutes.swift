import Foundation
import HTTPTypes
import Hummingbird
import QRCode
import Payments

/// Seed 001's deposit endpoints (seed 000's request fields accepted on create), behind gateway authentication.
struct DepositRoutes: Sendable {
    let deposits: DepositRegistry
    /// Configured public address, or `nil` to use `http://` and the request's Host.
    let publicURL: String?

    func register(on group: RouterGroup<SatangRequestContext>) {
        group.post("deposit/create") { request, context in try await self.create(request, context) }
        group.get("deposit/:id") { request, context in try await self.show(request, context) }
        group.get("deposits") { request, context in try await self.list(request, context) }
        group.post("deposit/:id/cancel") { request, context in try await self.cancel(request, context) }
    }

    func create(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        let merchant = try context.authenticatedMerchant()
        let body = try DepositRequestBody(try GatewayAuthenticationMiddleware.fields(of: request, body: context.rawBody))
        let idempotency = try GatewayIdempotency.request(request, body: context.rawBody)
        let base = baseURL(request)
        let outcome = try await GatewayErrors.mapping {
            do {
                return try await deposits.create(body.request, by: merchant, idempotency: idempotency) { deposit in
                    let document: [(String, JSONValue)] = switch body.style {
                    case .dpay: [("success", .bool(true)), ("data", DepositRepresentation.dpay(deposit, base: base))]
                    case .seed000:
                        [("status", .string("success")), ("message", .string("Create Success")),
                         ("data", DepositRepresentation.seed000(deposit, merchant: merchant, base: base))]
                    }
                    return StoredResponse(status: 200, body: Array(JSONValue.object(document).serialized.utf8))
                }
            } catch let error as DepositError {
                throw body.renamed(error)
            }
        }
        switch outcome {
        case .created(_, let stored): return PaymentRoutes.response(stored, replayed: false)
        case .replayed(let stored): return PaymentRoutes.response(stored, replayed: true)
        }
    }

    func show(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        let merchant = try context.authenticatedMerchant()
        let deposit = try await GatewayErrors.mapping { try await deposits.deposit(context.parameters.get("id") ?? "", of: merchant) }
        return JSONBody.response(status: .ok, [("success", .bool(true)), ("data", DepositRepresentation.dpay(deposit, base: baseURL(request)))])
    }

    func list(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        let merchant = try context.authenticatedMerchant()
        let query = try GatewayQuery(request.uri.queryParameters, defaultLimit: 20)
        var statuses: [PaymentStatus]?
        if let word = request.uri.queryParameters.get("status") {
            statuses = PaymentStatus.matching(gatewayWord: word.lowercased())
            if statuses == nil { throw GatewayErrors.validation(["status": "one of pending, paid, expired, cancelled, failed"]) }
        }
        let (page, total) = try await deposits.list(
            statuses: statuses, createdFrom: query.from, createdTo: query.to, page: query.page, limit: query.limit, of: merchant)
        let base = baseURL(request)
        let rows = JSONValue.array(page.map { DepositRepresentation.dpay($0, base: base) })
        return JSONBody.response(status: .ok, [("success", .bool(true)), ("data", .object([("data", rows)] + query.pagination(total: total)))])
    }

    func cancel(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        let merchant = try context.authenticatedMerchant()
        let deposit = try await GatewayErrors.mapping { try await deposits.cancel(context.parameters.get("id") ?? "", by: merchant) }
        return JSONBody.response(status: .ok, [
            ("success", .bool(true)), ("status", .string("success")), ("message", .string("Deposit cancelled successfully")),
            ("data", DepositRepresentation.dpay(deposit, base: baseURL(request))),
        ])
    }

    func baseURL(_ request: Request) -> String {
        if let publicURL { return publicURL }
        return "http://" + (request.head.authority ?? "127.0.0.1")
    }
}
