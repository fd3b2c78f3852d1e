import Foundation
import Hummingbird
import Ledger
import Payments

/// Paging and date filters of the gateway's list endpoints; a bad value is a 400 naming the parameter.
struct GatewayQuery {
    var page = 1
    var limit: Int
    var from: Date?
    var to: Date?

    init(_ parameters: Parameters, defaultLimit: Int) throws {
        limit = defaultLimit
        var problems: [String: String] = [:]
        if let text = parameters.get("page") {
            if let value = Int(text), (1...1_000_000).contains(value) { page = value } else { problems["page"] = "a whole number from 1" }
        }
        if let text = parameters.get("limit") {
            if let value = Int(text), (1...100).contains(value) { limit = value } else { problems["limit"] = "a whole number from 1 to 100" }
        }
        func date(_ name: String, _ alternative: String) -> Date? {
            guard let text = parameters.get(name) ?? parameters.get(alternative) else { return nil }
            guard let date = name == "date_to" ? PeriodBoundary.parseInclusiveEnd(text) : PeriodBoundary.parse(text) else {
                problems[name] = "an ISO 8601 date or time, e.g. 2026-11-24"
                return nil
            }
            return date
        }
        from = date("date_from", "dateFrom")
        to = date("date_to", "dateTo")
        if let from, let to, from > to { problems["date_from"] = "must not be after date_to" }
        guard problems.isEmpty else { throw GatewayErrors.validation(problems) }
    }

    /// The paging block of a list answer.
    func pagination(total: Int) -> [(String, JSONValue)] {
        [("total", .number("\(total)")), ("page", .number("\(page)")), ("limit", .number("\(limit)")),
         ("totalPages", .number("\((total + limit - 1) / limit)"))]
    }
}
