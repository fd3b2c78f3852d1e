import Foundation
import Hummingbird
import Ledger
import Payments

/// Reads `GET /api/v1/payments`'s query (seed 002's filters and seed 003's dates and sorting); a bad value
/// is a 400 naming the parameter, never an empty list.
enum PaymentListQuery {
    /// Seed 003's status words, mapped onto Satang's statuses.
    static let seedStatuses: [String: [PaymentStatus]] = [
        "succeeded": [.succeeded], "canceled": [.canceled], "expired": [.expired],
        "payment_failed": [.failedTechnical, .failedBusiness], "processing": [.submitting, .pending],
        "requires_payment_method": [.notSent], "requires_confirmation": [.notSent], "requires_action": [.pending],
    ]

    static func parse(_ parameters: Parameters, merchant: Merchant) throws -> PaymentQuery {
        var query = PaymentQuery()
        var problems: [String: String] = [:]
        if let source = parameters.get("sourceId"), source != merchant.code {
            throw APIError(status: .forbidden, errorCode: "FORBIDDEN", message: "sourceId must be your own source, \(merchant.code)")
        }
        if let provider = parameters.get("provider") {
            query.provider = ProviderCode(rawValue: provider.uppercased())
            if query.provider == nil { problems["provider"] = "one of KBANK, SCB, BBL, KTB" }
        }
        if let status = parameters.get("status") {
            query.statuses = PaymentStatus(rawValue: status.uppercased()).map { [$0] } ?? seedStatuses[status.lowercased()]
            if query.statuses == nil {
                problems["status"] = "one of " + PaymentStatus.allCases.map(\.rawValue).joined(separator: ", ")
            }
        }
        if let id = parameters.get("sourcePaymentId") {
            if id.isEmpty || id.count > 128 { problems["sourcePaymentId"] = "1 to 128 characters" } else { query.sourcePaymentID = id }
        }
        for (name, keyPath) in [("dateFrom", \PaymentQuery.createdFrom), ("dateTo", \PaymentQuery.createdTo)] {
            guard let text = parameters.get(name) else { continue }
            guard let date = name == "dateTo" ? PeriodBoundary.parseInclusiveEnd(text) : PeriodBoundary.parse(text) else {
                problems[name] = "an ISO 8601 date or time, e.g. 2026-11-24 or 2026-11-24T10:00:00Z"
                continue
            }
            query[keyPath: keyPath] = date
        }
        if let from = query.createdFrom, let to = query.createdTo, from > to { problems["dateFrom"] = "must not be after dateTo" }
        if let sort = parameters.get("sortBy") {
            query.sortBy = PaymentQuery.SortField(rawValue: sort) ?? .createdAt
            if PaymentQuery.SortField(rawValue: sort) == nil {
                problems["sortBy"] = "one of " + PaymentQuery.SortField.allCases.map(\.rawValue).joined(separator: ", ")
            }
        }
        if let order = parameters.get("sortOrder") {
            switch order.lowercased() {
            case "asc": query.ascending = true
            case "desc": query.ascending = false
            default: problems["sortOrder"] = "asc or desc"
            }
        }
        if let page = parameters.get("page") {
            if let value = Int(page), value >= 1, value <= 1_000_000 { query.page = value } else { problems["page"] = "a whole number from 1" }
        }
        if let limit = parameters.get("limit") {
            if let value = Int(limit), (1...100).contains(value) { query.limit = value } else { problems["limit"] = "a whole number from 1 to 100" }
        }
        guard problems.isEmpty else { throw PaymentErrorMapping.apiError(for: .validation(problems)) }
        return query
    }
}
