import ArgumentParser
import Foundation
import Ledger

/// `satang ledger statement`: an account's opening balance, every line with its running balance, closing balance.
struct StatementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement", abstract: "Statement of one account for a period [from, to).")

    @Option(help: "Book code.") var book: String
    @Option(help: "Account code, e.g. merchant:available.") var account: String
    @Option(help: "Currency of the account.") var currency: String = "THB"
    @Option(help: "Start of the period (inclusive).") var from: TimeArgument?
    @Option(help: "End of the period (exclusive).") var to: TimeArgument?
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard Currency(code: currency) != nil else { throw ValidationError("unknown currency \(currency)") }
        if let from, let to, from.date >= to.date { throw ValidationError("--from must be before --to") }
    }

    func run() async throws {
        let (bookCode, accountCode, currency) = (book, account, Currency(code: self.currency)!)
        let (from, to) = (self.from?.date, self.to?.date)
        // Every page, one after the other: the CLI prints the whole period.
        let (first, lines) = try await withLedger(database, logging) { ledger in
            let bookID = try await ledger.book(code: bookCode).id
            let account = try await ledger.account(book: bookID, code: accountCode, currency: currency)
            var page = try await ledger.statement(of: account, from: from, to: to, limit: 1000)
            let first = page
            var lines = page.lines
            while let cursor = page.nextCursor {
                page = try await ledger.statement(of: account, from: from, to: to, cursor: cursor, limit: 1000)
                lines += page.lines
            }
            return (first, lines)
        }
        Console.line(render(first, lines: lines))
    }

    private func render(_ statement: Statement, lines: [Statement.Line]) -> String {
        // Shown on the account's normal side, as an accountant reads it (a merchant's balance is positive).
        let sign: Int64 = statement.account.type.isDebitNormal ? 1 : -1
        func shown(_ money: Money) -> String { Money.minor(money.minorUnits * sign, money.currency).decimalText }
        switch format {
        case .json:
            let document: [String: Any] = [
                "book": book, "account": account, "currency": statement.account.currency.code,
                "from": statement.from?.reportText ?? NSNull(), "to": statement.to?.reportText ?? NSNull(),
                "openingBalance": shown(statement.openingBalance), "closingBalance": shown(statement.closingBalance),
                "lines": lines.map {
                    ["sequence": $0.sequence, "entryId": $0.entryID, "postedAt": $0.postedAt.reportText, "kind": $0.kind,
                     "reference": $0.reference, "description": $0.description, "recordedBy": $0.recordedBy,
                     "amount": shown($0.amount), "balance": shown($0.balanceAfter)] as [String: Any]
                },
            ]
            let data = try! JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
            return String(decoding: data, as: UTF8.self)
        case .csv, .table:
            var table = ReportTable(columns: [
                ("posted_at", .left), ("entry", .right), ("kind", .left), ("reference", .left),
                ("description", .left), ("recorded_by", .left), ("amount", .right), ("balance", .right),
            ])
            table.rows.append([statement.from?.reportText ?? "", "", "opening", "", "", "", "", shown(statement.openingBalance)])
            for line in lines {
                table.rows.append([
                    line.postedAt.reportText, String(line.entryID), line.kind, line.reference, line.description, line.recordedBy,
                    shown(line.amount), shown(line.balanceAfter),
                ])
            }
            table.rows.append([statement.to?.reportText ?? "", "", "closing", "", "", "", "", shown(statement.closingBalance)])
            return format == .csv ? table.renderCSV() : table.renderTable()
        }
    }
}
