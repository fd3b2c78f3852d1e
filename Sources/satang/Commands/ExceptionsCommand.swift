import ArgumentParser
import Foundation
import Payments

/// `satang exceptions list`: reconciliation exceptions (late successes and the like).
struct ExceptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exceptions", abstract: "Reconciliation exceptions.", subcommands: [ExceptionsListCommand.self])
}

struct ExceptionsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Exceptions in a period, newest first.")
    @Option(help: "Start of the period (inclusive).") var from: TimeArgument?
    @Option(help: "End of the period (exclusive).") var to: TimeArgument?
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let (from, to) = (self.from?.date, self.to?.date)
        let exceptions = try await withDatabase(database, logging) {
            try await ReconciliationExceptions(pool: $0).list(from: from, to: to, limit: 1000)
        }
        if format == .json {
            Console.line(jsonText(exceptions.map {
                ["id": $0.id, "paymentId": $0.paymentID?.uuidString.lowercased() ?? NSNull(), "merchant": $0.merchantCode ?? NSNull(),
                 "kind": $0.kind, "detail": $0.detail, "createdAt": $0.createdAt.reportText] as [String: Any]
            }))
            return
        }
        var table = ReportTable(columns: [("created_at", .left), ("merchant", .left), ("kind", .left), ("payment", .left), ("detail", .left)])
        for item in exceptions {
            table.rows.append([item.createdAt.reportText, item.merchantCode ?? "", item.kind,
                               item.paymentID?.uuidString.lowercased() ?? "", item.detail])
        }
        Console.line(format == .csv ? table.renderCSV() : table.renderTable())
    }
}
