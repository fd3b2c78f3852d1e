import ArgumentParser
import Foundation
import Payments

/// `satang callbacks list|redeliver`: see how merchant callbacks went, and send one again.
struct CallbacksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callbacks", abstract: "List merchant callbacks and redeliver one.",
        subcommands: [CallbacksListCommand.self, CallbacksRedeliverCommand.self])
}

struct CallbacksListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The newest callbacks and their delivery state.")
    @Option(help: "Only this merchant.") var merchant: String?
    @Option(help: "How many.") var limit: Int = 50
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let (merchant, limit) = (self.merchant, min(max(self.limit, 1), 1000))
        let entries = try await withDatabase(database, logging) { try await CallbackLog(pool: $0).list(merchantCode: merchant, limit: limit) }
        if format == .json {
            Console.line(jsonText(entries.map {
                ["id": $0.id.uuidString.lowercased(), "merchant": $0.merchantCode, "type": $0.type, "createdAt": $0.createdAt.reportText,
                 "attempts": $0.attempts, "state": $0.state, "lastError": $0.lastError ?? NSNull()] as [String: Any]
            }))
            return
        }
        var table = ReportTable(columns: [("id", .left), ("merchant", .left), ("type", .left), ("created_at", .left),
                                          ("attempts", .right), ("state", .left), ("last_error", .left)])
        for entry in entries {
            table.rows.append([entry.id.uuidString.lowercased(), entry.merchantCode, entry.type, entry.createdAt.reportText,
                               String(entry.attempts), entry.state, entry.lastError ?? ""])
        }
        Console.line(format == .csv ? table.renderCSV() : table.renderTable())
    }
}

struct CallbacksRedeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redeliver", abstract: "Queue a callback for delivery again (same event id; the running service sends it).")
    @Argument(help: "The event id from `callbacks list`.") var id: String
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard UUID(uuidString: id) != nil else { throw ValidationError("\(id) is not an event id (a UUID)") }
    }

    func run() async throws {
        let id = UUID(uuidString: self.id)!
        let found = try await withDatabase(database, logging) { try await CallbackLog(pool: $0).redeliver(id) }
        guard found else { throw ValidationError("there is no callback event \(self.id)") }
        Console.line("callback \(self.id) queued for delivery")
    }
}
