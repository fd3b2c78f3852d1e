import ArgumentParser
import Foundation
import Ledger

/// `satang ledger trial-balance`: debits, credits and balance per account, with totals that net to zero.
struct TrialBalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trial-balance", abstract: "Trial balance of one book or all books, now or as of a moment.")

    @Option(help: "Book code; all books when omitted.") var book: String?
    @Option(name: .customLong("as-of"), help: "ISO 8601 moment, or a date (the end of that day in Bangkok).")
    var asOf: TimeArgument?
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let asOf = self.asOf?.inclusiveEnd
        let bookCode = self.book
        let trial = try await withLedger(database, logging) { ledger in
            var bookID: Int64?
            if let bookCode { bookID = try await ledger.book(code: bookCode).id }
            return try await ledger.trialBalance(book: bookID, asOf: asOf)
        }
        Console.line(Self.render(trial, format: format))
    }

    static func render(_ trial: TrialBalance, format: OutputFormat) -> String {
        switch format {
        case .json:
            let document: [String: Any] = [
                "asOf": trial.asOf?.reportText ?? NSNull(),
                "lines": trial.lines.map {
                    ["book": $0.bookCode, "account": $0.accountCode, "type": $0.type.rawValue,
                     "currency": $0.debits.currency.code, "debits": $0.debits.decimalText,
                     "credits": $0.credits.decimalText, "balance": $0.balance.decimalText]
                },
                "totals": trial.totals.map {
                    ["currency": $0.currency.code, "debits": $0.debits.decimalText, "credits": $0.credits.decimalText,
                     "balance": $0.balance.decimalText]
                },
            ]
            let data = try! JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
            return String(decoding: data, as: UTF8.self)
        case .csv, .table:
            var table = ReportTable(columns: [
                ("book", .left), ("account", .left), ("type", .left), ("currency", .left),
                ("debits", .right), ("credits", .right), ("balance", .right),
            ])
            for line in trial.lines {
                table.rows.append([
                    line.bookCode, line.accountCode, line.type.rawValue, line.debits.currency.code,
                    line.debits.decimalText, line.credits.decimalText, line.balance.decimalText,
                ])
            }
            for total in trial.totals {
                table.rows.append([
                    "TOTAL", "", "", total.currency.code, total.debits.decimalText, total.credits.decimalText,
                    total.balance.decimalText,
                ])
            }
            return format == .csv ? table.renderCSV() : table.renderTable()
        }
    }
}
