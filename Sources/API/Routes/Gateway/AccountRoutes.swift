import Foundation
import Hummingbird
import Ledger
import Payments

/// Seed 000's account features behind gateway authentication: `GET /api/v1/balance` and the order query
/// `GET /api/v1/order?order_no=…|agent_order_no=…`.
struct AccountRoutes: Sendable {
    let ledger: Ledger
    let deposits: DepositRegistry
    let payouts: PayoutRegistry

    func register(on group: RouterGroup<SatangRequestContext>) {
        group.get("balance") { _, context in
            let merchant = try context.authenticatedMerchant()
            let accounts = try await ledger.accounts(book: merchant.bookID, codes: [AccountCode.merchantAvailable, AccountCode.payoutsInFlight])
            let (available, inFlight) = (accounts[0].normalBalance, accounts[1].normalBalance)
            return JSONBody.response(status: .ok, [
                ("code", .number("200")), ("message", .string("Success")),
                ("data", .object([
                    ("balance", .number(available.decimalText)), ("available", .number(available.decimalText)),
                    ("payouts_in_flight", .number(inFlight.decimalText)), ("currency", .string(available.currency.code)),
                ])),
            ])
        }
        group.get("order") { request, context in
            let merchant = try context.authenticatedMerchant()
            let orderNo = request.uri.queryParameters.get("order_no")
            let agentOrderNo = request.uri.queryParameters.get("agent_order_no")
            guard orderNo != nil || agentOrderNo != nil else {
                throw GatewayErrors.validation(["order_no": "give order_no or agent_order_no"])
            }
            let order = try await find(orderNo: orderNo, agentOrderNo: agentOrderNo, merchant: merchant)
            return JSONBody.response(status: .ok, [("code", .number("200")), ("message", .string("Success")), ("data", order)])
        }
    }

    /// The deposit or payout named by either reference, in seed 000's order shape.
    private func find(orderNo: String?, agentOrderNo: String?, merchant: Merchant) async throws -> JSONValue {
        let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        func attempt<T>(_ body: () async throws -> T) async throws -> T? {
            do { return try await body() } catch DepositError.notFound { return nil } catch PayoutError.notFound { return nil }
        }
        let deposit: Deposit? = if let orderNo { try await attempt { try await deposits.deposit(orderNo, of: merchant) } }
            else { try await attempt { try await deposits.deposit(merchantReference: agentOrderNo!, of: merchant) } }
        // Given both, both must name the same order.
        if let deposit, agentOrderNo == nil || agentOrderNo == (deposit.merchantReference ?? deposit.reference) {
            let word = deposit.status == .succeeded ? "completed" : deposit.status.gatewayWord
            return .object([
                ("order_no", .string(deposit.reference)), ("agent_order_no", .string(deposit.merchantReference ?? deposit.reference)),
                ("type", .string("deposit")), ("status", .string(word)), ("amount", .number(deposit.amount.decimalText)),
                ("fee", .number(deposit.fee.decimalText)), ("actual_amount", .number(deposit.net.decimalText)),
                ("created_at", .string(deposit.createdAt.formatted(time))),
                ("completed_at", deposit.paidAt.map { .string($0.formatted(time)) } ?? .null),
            ])
        }
        let payout: Payout? = if let orderNo { try await attempt { try await payouts.payout(orderNo, of: merchant) } }
            else { try await attempt { try await payouts.payout(merchantReference: agentOrderNo!, of: merchant) } }
        guard let payout, agentOrderNo == nil || agentOrderNo == (payout.merchantReference ?? payout.reference) else {
            throw APIError(status: .notFound, errorCode: "ORDER_NOT_FOUND", message: "no deposit or payout with that reference",
                           gatewayEnvelope: true)
        }
        return .object([
            ("order_no", .string(payout.reference)), ("agent_order_no", .string(payout.merchantReference ?? payout.reference)),
            ("type", .string("withdrawal")), ("status", .string(payout.status.rawValue)), ("amount", .number(payout.amount.decimalText)),
            ("fee", .number(payout.fee.decimalText)), ("actual_amount", .number(payout.transferAmount.decimalText)),
            ("created_at", .string(payout.createdAt.formatted(time))),
            ("completed_at", payout.status == .completed ? payout.completedAt.map { .string($0.formatted(time)) } ?? .null : .null),
        ])
    }
}

/// `POST /api/v1/jwt/create` (seed 000): signs `params` (sorted by key) as an HS256 JWT with the API key,
/// for clients that cannot sign themselves. Authenticated by the API key alone (header, or `api_key`).
struct JWTRoutes: Sendable {
    let merchants: MerchantRegistry

    func register(on group: RouterGroup<SatangRequestContext>) {
        group.post("jwt/create") { request, context in
            var request = request
            let body: [UInt8]
            do {
                body = Array(buffer: try await request.collectBody(upTo: context.maxUploadSize))
            } catch {
                throw APIError(status: .contentTooLarge, errorCode: "PAYLOAD_TOO_LARGE", message: "the body is larger than 1 MiB", gatewayEnvelope: true)
            }
            guard case .object(let members)? = try? JSONParser.parse(body) else {
                throw GatewayErrors.validation(["body": "a JSON object with params"])
            }
            let document = JSONValue.object(members)
            guard case .object(let params)? = document["params"] else {
                throw GatewayErrors.validation(["params": "required: an object of the fields to sign"])
            }
            if params.contains(where: { $0.0 == "signature" }) {
                throw GatewayErrors.validation(["params": "leave signature out: it is what this call makes"])
            }
            var key = request.headers[MerchantAuthenticationMiddleware.apiKey]
            if case .string(let given)? = document["api_key"] { key = given }
            guard let key, !key.isEmpty, let (merchant, _) = try await merchants.authenticate(apiKey: key) else {
                throw APIError(status: .unauthorized, errorCode: "UNAUTHORIZED", message: "Invalid API key", gatewayEnvelope: true)
            }
            guard merchant.allows(address: context.remoteAddress) else {
                throw APIError(status: .forbidden, errorCode: "IP_NOT_ALLOWED", message: "IP not in whitelist", gatewayEnvelope: true)
            }
            let sorted = params.sorted { $0.0.utf16.lexicographicallyPrecedes($1.0.utf16) }
            return JSONBody.response(status: .ok, [
                ("code", .number("200")), ("message", .string("Success")),
                ("data", .object([
                    ("signature", .string(GatewaySignature.jwt(sorted, key: key))), ("algorithm", .string("HS256")),
                    ("payload", .object(sorted)),
                ])),
            ])
        }
    }
}
