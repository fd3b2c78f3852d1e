import Foundation
import Hummingbird
import Payments

/// `GET /api/v1/client/banks` (seed 001's fields, paged, `search`) and `GET /api/v1/banks` (seed 000's shape).
struct BankRoutes {
    let banks: BankDirectory

    func register(on group: RouterGroup<SatangRequestContext>) {
        group.get("client/banks") { request, _ in
            let query = try GatewayQuery(request.uri.queryParameters, defaultLimit: 100)
            var search = request.uri.queryParameters.get("search")?.trimmingCharacters(in: .whitespaces)
            if search?.isEmpty == true { search = nil }
            if let search, search.count > 100 { throw GatewayErrors.validation(["search": "at most 100 characters"]) }
            let (page, total) = try await banks.list(search: search, page: query.page, limit: query.limit)
            let rows: [JSONValue] = page.map { bank in
                .object([
                    ("id", .string("\(bank.id)")), ("bank_name", .string(bank.name)), ("bank_name_th", .string(bank.nameTH)),
                    ("bank_code", .string(bank.code)), ("int_code", .string(bank.intCode)), ("bank_logo", .string(bank.logoURL)),
                ])
            }
            return JSONBody.response(status: .ok, [("success", .bool(true)), ("data", .object([("data", .array(rows))] + query.pagination(total: total)))])
        }
        group.get("banks") { _, _ in
            let (all, _) = try await banks.list(search: nil, page: 1, limit: 1_000)
            let rows: [JSONValue] = all.map { bank in
                .object([("code", .string(bank.code)), ("name", .string(bank.name)), ("name_th", .string(bank.nameTH)),
                         ("active", .bool(bank.active))])
            }
            return JSONBody.response(status: .ok, [("code", .number("200")), ("message", .string("Success")),
                                                   ("data", .object([("banks", .array(rows))]))])
        }
    }
}
