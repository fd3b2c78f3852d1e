import Foundation
import Hummingbird
import Ledger
import Payments

/// `GET /api/v1/reports/{balance-summary|fees|daily-volume|receipts|exceptions}`: JSON or CSV, for one
/// merchant (a merchant key: always its own) or every merchant (an accountant key; `book` narrows it).
/// `from` and `to` bound the period `[from, to)`; `period` is `day` or `month` for fees.
struct AccountingReportRoutes: Sendable {
    let reports: AccountingReports
    let merchants: MerchantRegistry

    func register(on group: RouterGroup<SatangRequestContext>) {
        group.get("reports/:name") { request, context in try await self.report(request, context) }
    }

    func report(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        let name = context.parameters.get("name") ?? ""
        guard AccountingReports.names.contains(name) else {
            throw APIError(status: .notFound, errorCode: "UNKNOWN_REPORT",
                           message: "no report \(name); reports: trial-balance, statement, " + AccountingReports.names.joined(separator: ", "))
        }
        let format = try ReportBody.format(of: request)
        guard let reader = context.reportReader else { throw APIError(status: .unauthorized, errorCode: "UNAUTHORIZED", message: "an X-API-Key is required") }
        var scope = ReportScope()
        var problems: [String: String] = [:]
        let parameters = request.uri.queryParameters
        for (field, assign) in [("from", { (date: Date) in scope.from = date }), ("to", { scope.to = $0 })] as [(String, (Date) -> Void)] {
            guard let text = parameters.get(field) else { continue }
            if let date = PeriodBoundary.parse(String(text)) { assign(date) } else { problems[field] = "an ISO 8601 moment or a date (Bangkok)" }
        }
        if let period = parameters.get("period") {
            if ["day", "month"].contains(period) { scope.period = String(period) } else { problems["period"] = "day or month" }
        }
        guard problems.isEmpty else { throw PaymentErrorMapping.apiError(for: .validation(problems)) }
        switch reader {
        case .merchant(let merchant):
            if let book = parameters.get("book"), book != merchant.code {
                throw APIError(status: .forbidden, errorCode: "FORBIDDEN", message: "a merchant's key reads only its own book")
            }
            scope.merchantID = merchant.id
        case .accountant:
            if let book = parameters.get("book") {
                do {
                    scope.merchantID = try await merchants.merchant(code: String(book)).id
                } catch MerchantError.notFound {
                    throw APIError(status: .notFound, errorCode: "UNKNOWN_BOOK", message: "no merchant book \(book)")
                }
            }
        }
        let report = try await reports.report(name, scope: scope)!
        return ReportBody.respond(format, json: Self.json(report, scope: scope), csv: report.csvRows, name: name)
    }

    static func json(_ value: Report.Value) -> JSONValue {
        switch value {
        case .text(let text): text.map(JSONValue.string) ?? .null
        case .count(let count): .number(String(count))
        case .money(let money): .number(money.decimalText)
        case .time: .string(value.text)
        }
    }

    static func json(_ report: Report, scope: ReportScope) -> JSONValue {
        let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let rows: [JSONValue] = report.rows.map { row in .object(zip(report.columns, row).map { ($0, json($1)) }) }
        let members: [(String, JSONValue)] = [
            ("report", .string(report.name)), ("from", scope.from.map { .string($0.formatted(time)) } ?? .null),
            ("to", scope.to.map { .string($0.formatted(time)) } ?? .null), ("columns", .array(report.columns.map(JSONValue.string))),
            ("rows", .array(rows)), ("summary", .object(report.summary.map { ($0.0, json($0.1)) })),
            ("problems", .array(report.problems.map(JSONValue.string))),
        ]
        return .object(members)
    }
}
