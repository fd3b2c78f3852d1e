import ArgumentParser
import Foundation
import Ledger
import Payments

/// What every accounting report takes on the command line.
struct AccountingReportOptions: ParsableArguments {
    @Option(help: "Merchant (book) code; every merchant when omitted.") var book: String?
    @Option(help: "Start of the period (inclusive): ISO 8601 or a Bangkok date.") var from: TimeArgument?
    @Option(help: "End of the period (exclusive).") var to: TimeArgument?
    @Option(help: "day or month (fees).") var period: String = "day"
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run(_ name: String) async throws {
        guard ["day", "month"].contains(period) else { throw ValidationError("--period is day or month") }
        let (book, from, to, period) = (self.book, self.from?.date, self.to?.date, self.period)
        let report = try await withDatabase(database, logging) { pool in
            let merchantID: Int64? = if let book { try await MerchantRegistry(pool: pool).merchant(code: book).id } else { nil }
            return try await AccountingReports(pool: pool).report(name, scope: ReportScope(merchantID: merchantID, from: from, to: to, period: period))!
        }
        switch format {
        case .json:
            var document: [String: Any] = ["report": report.name, "rows": report.rows.map { Dictionary(uniqueKeysWithValues: zip(report.columns, $0.map(\.text))) }]
            document["summary"] = Dictionary(uniqueKeysWithValues: report.summary.map { ($0.0, $0.1.text) })
            document["problems"] = report.problems
            Console.line(jsonText(document))
        case .csv:
            var table = ReportTable(columns: report.columns.map { ($0, .left) })
            table.rows = Array(report.csvRows.dropFirst())
            Console.line(table.renderCSV())
        case .table:
            var table = ReportTable(columns: report.columns.map { column in
                (column, report.rows.first.map { row -> ReportTable.Alignment in
                    if case .text = row[report.columns.firstIndex(of: column)!] { return .left } else { return .right }
                } ?? .left)
            })
            table.rows = report.rows.map { $0.map(\.text) }
            Console.line(table.renderTable())
            for (name, value) in report.summary { Console.line("\(name): \(value.text)") }
            for problem in report.problems { Console.line("PROBLEM: \(problem)") }
        }
    }
}

struct BalanceSummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "balance-summary",
        abstract: "Per merchant: available, payouts in flight, collected at each provider, fees earned.")
    @OptionGroup var options: AccountingReportOptions
    func run() async throws { try await options.run("balance-summary") }
}

struct FeesReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fees", abstract: "Fees earned by period, merchant and provider.")
    @OptionGroup var options: AccountingReportOptions
    func run() async throws { try await options.run("fees") }
}

struct DailyVolumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "daily-volume",
        abstract: "Per day and currency: payments and deposits succeeded, payouts completed and refunded, reversals (counts and sums).")
    @OptionGroup var options: AccountingReportOptions
    func run() async throws { try await options.run("daily-volume") }
}

struct ReceiptsRegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "receipts",
        abstract: "Every receipt in the period in number order, with the VAT total; gaps and reused numbers reported.")
    @OptionGroup var options: AccountingReportOptions
    func run() async throws { try await options.run("receipts") }
}

struct ExceptionsReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exceptions", abstract: "Reconciliation exceptions in the period.")
    @OptionGroup var options: AccountingReportOptions
    func run() async throws { try await options.run("exceptions") }
}
