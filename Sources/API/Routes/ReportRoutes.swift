import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Payments

/// Accountants' reports over REST, each as JSON or CSV: the trial balance (one book or all, as of a
/// moment) and an account statement (opening balance, entries with running balance, closing balance, paged).
struct ReportRoutes: Sendable {
    let ledger: Ledger

    func register(on group: RouterGroup<SatangRequestContext>) {
        group.get("reports/trial-balance") { request, context in try await self.trialBalance(request, context) }
        group.get("reports/statement") { request, context in try await self.statement(request, context) }
    }

    func trialBalance(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        let format = try ReportBody.format(of: request)
        let bookID = try await book(request, context, required: false)
        let asOf = try Self.moment(request, "as_of", inclusiveEnd: true)
        let trial = try await Self.mapping { try await ledger.trialBalance(book: bookID, asOf: asOf) }
        let time = Self.time
        return ReportBody.respond(
            format,
            json: .object([
                ("asOf", asOf.map { .string($0.formatted(time)) } ?? .null),
                ("lines", .array(trial.lines.map { line in
                    .object([("book", .string(line.bookCode)), ("account", .string(line.accountCode)), ("type", .string(line.type.rawValue)),
                             ("currency", .string(line.debits.currency.code)), ("debits", .number(line.debits.decimalText)),
                             ("credits", .number(line.credits.decimalText)), ("balance", .number(line.balance.decimalText))])
                })),
                ("totals", .array(trial.totals.map { total in
                    .object([("currency", .string(total.currency.code)), ("debits", .number(total.debits.decimalText)),
                             ("credits", .number(total.credits.decimalText)), ("balance", .number(total.balance.decimalText))])
                })),
            ]),
            csv: [["book", "account", "type", "currency", "debits", "credits", "balance"]]
                + trial.lines.map { [$0.bookCode, $0.accountCode, $0.type.rawValue, $0.debits.currency.code, $0.debits.decimalText,
                                      $0.credits.decimalText, $0.balance.decimalText] }
                + trial.totals.map { ["TOTAL", "", "", $0.currency.code, $0.debits.decimalText, $0.credits.decimalText, $0.balance.decimalText] },
            name: "trial-balance")
    }

    func statement(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        let format = try ReportBody.format(of: request)
        guard let bookID = try await book(request, context, required: true) else { throw Self.missing("book") }
        guard let code = request.uri.queryParameters.get("account") else { throw Self.missing("account") }
        let from = try Self.moment(request, "from", inclusiveEnd: false)
        let to = try Self.moment(request, "to", inclusiveEnd: false)
        let limit = Int(request.uri.queryParameters.get("limit") ?? "100") ?? 0
        let cursor: String? = request.uri.queryParameters.get("cursor").map { String($0) }
        let statement = try await Self.mapping {
            try await ledger.statement(of: try await ledger.account(book: bookID, code: code), from: from, to: to, cursor: cursor, limit: limit)
        }
        return ReportBody.respond(format, json: Self.json(statement), csv: Self.csv(statement), name: "statement")
    }

    static let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func json(_ line: Statement.Line) -> JSONValue {
        let members: [(String, JSONValue)] = [
            ("sequence", .number("\(line.sequence)")), ("entryId", .number("\(line.entryID)")),
            ("postedAt", .string(line.postedAt.formatted(time))), ("kind", .string(line.kind)), ("reference", .string(line.reference)),
            ("description", .string(line.description)), ("recordedBy", .string(line.recordedBy)),
            ("amount", .number(line.amount.decimalText)), ("balanceAfter", .number(line.balanceAfter.decimalText)),
        ]
        return .object(members)
    }

    static func json(_ statement: Statement) -> JSONValue {
        let members: [(String, JSONValue)] = [
            ("account", .string(statement.account.code)), ("currency", .string(statement.account.currency.code)),
            ("from", statement.from.map { .string($0.formatted(time)) } ?? .null),
            ("to", statement.to.map { .string($0.formatted(time)) } ?? .null),
            ("openingBalance", .number(statement.openingBalance.decimalText)),
            ("lines", .array(statement.lines.map { json($0) })),
            ("closingBalance", .number(statement.closingBalance.decimalText)),
            ("nextCursor", statement.nextCursor.map(JSONValue.string) ?? .null),
        ]
        return .object(members)
    }

    static func csv(_ statement: Statement) -> [[String]] {
        var rows: [[String]] = [["sequence", "entry_id", "posted_at", "kind", "reference", "description", "recorded_by", "amount", "balance_after"]]
        rows.append(["", "", statement.from?.formatted(time) ?? "", "opening", "", "", "", "", statement.openingBalance.decimalText])
        for line in statement.lines {
            rows.append(["\(line.sequence)", "\(line.entryID)", line.postedAt.formatted(time), line.kind, line.reference, line.description,
                         line.recordedBy, line.amount.decimalText, line.balanceAfter.decimalText])
        }
        rows.append(["", "", statement.to?.formatted(time) ?? "", "closing", "", "", "", "", statement.closingBalance.decimalText])
        return rows
    }

    /// The `book` asked for, as the reader may read it: a merchant reads only its own book (its book when
    /// none is named); an accountant any book, or every book where a report allows it.
    private func book(_ request: Request, _ context: SatangRequestContext, required: Bool) async throws -> Int64? {
        guard let reader = context.reportReader else {
            throw APIError(status: .unauthorized, errorCode: "UNAUTHORIZED", message: "an X-API-Key is required")
        }
        var bookID: Int64?
        if let code = request.uri.queryParameters.get("book") {
            // A merchant learns nothing about other books, not even whether they exist.
            if case .merchant(let merchant) = reader, code != merchant.code {
                throw APIError(status: .forbidden, errorCode: "FORBIDDEN", message: "a merchant's key reads only its own book")
            }
            bookID = try await Self.mapping { try await ledger.book(code: String(code)).id }
        } else if case .merchant(let merchant) = reader {
            bookID = merchant.bookID
        } else if required {
            throw Self.missing("book")
        }
        guard reader.mayRead(bookID: bookID) else {
            throw APIError(status: .forbidden, errorCode: "FORBIDDEN", message: "a merchant's key reads only its own book")
        }
        return bookID
    }

    private static func moment(_ request: Request, _ name: String, inclusiveEnd: Bool) throws -> Date? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let date = inclusiveEnd ? PeriodBoundary.parseInclusiveEnd(String(text)) : PeriodBoundary.parse(String(text)) else {
            throw APIError(status: .badRequest, errorCode: "VALIDATION_ERROR",
                           message: "\(name) must be an ISO 8601 moment or a date (Bangkok), e.g. 2026-11-24", details: ["fields": name])
        }
        return date
    }

    private static func missing(_ name: String) -> APIError {
        APIError(status: .badRequest, errorCode: "VALIDATION_ERROR", message: "\(name) is required", details: ["fields": name])
    }

    private static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as LedgerError {
            switch error.code {
            case .unknownBook, .unknownAccount, .unknownEntry:
                throw APIError(status: .notFound, errorCode: error.code.rawValue, message: error.message)
            case .invalidRequest:
                throw APIError(status: .badRequest, errorCode: "VALIDATION_ERROR", message: error.message)
            }
        }
    }
}
