import ArgumentParser
import Foundation
import Payments

/// `satang receiving-account add|list`: the platform's own accounts that customers pay deposits into.
struct ReceivingAccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receiving-account", abstract: "The platform's accounts that gateway deposits are paid into.",
        subcommands: [ReceivingAccountAddCommand.self, ReceivingAccountListCommand.self])
}

struct ReceivingAccountAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add an account at a provider bank (KBANK, SCB, BBL or KTB).")
    @Option(help: "The bank: KBANK, SCB, BBL or KTB (its webhooks report payments into the account).") var bank: String
    @Option(name: .customLong("account-no"), help: "10 to 15 digits.") var accountNo: String
    @Option(help: "The account holder's name, as customers will see it.") var name: String
    @Option(name: .customLong("promptpay-id"), help: "Mobile number, 13-digit id or e-wallet id; without it deposits carry no QR.")
    var promptPayID: String?
    @Flag(help: "Print the account as JSON.") var json = false
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        do {
            let account = try await withDatabase(database, logging) {
                try await ReceivingAccounts(pool: $0).add(bank: bank, accountNo: accountNo, accountName: name, promptPayID: promptPayID)
            }
            Console.line(json ? jsonText(ReceivingAccountListCommand.document(account)) : "added receiving account \(account.id.uuidString.lowercased())")
        } catch ReceivingAccountError.validation(let problems) {
            let flags = ["bank": "--bank", "accountNo": "--account-no", "accountName": "--name", "promptPayId": "--promptpay-id"]
            throw ValidationError(problems.sorted { $0.key < $1.key }.map { "\(flags[$0.key] ?? $0.key): \($0.value)" }.joined(separator: "\n"))
        } catch ReceivingAccountError.duplicate {
            throw ValidationError("\(bank) account \(accountNo) is already a receiving account")
        }
    }
}

struct ReceivingAccountListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every receiving account, oldest first.")
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let accounts = try await withDatabase(database, logging) { try await ReceivingAccounts(pool: $0).list() }
        if format == .json {
            Console.line(jsonText(accounts.map(Self.document)))
            return
        }
        var table = ReportTable(columns: [("id", .left), ("bank", .left), ("account_no", .left), ("name", .left),
                                          ("promptpay", .left), ("active", .left)])
        for account in accounts {
            table.rows.append([account.id.uuidString.lowercased(), account.bank.rawValue, account.accountNo, account.accountName,
                               account.promptPayID?.description ?? "", account.active ? "yes" : "no"])
        }
        Console.line(format == .csv ? table.renderCSV() : table.renderTable())
    }

    static func document(_ account: ReceivingAccount) -> [String: Any] {
        ["id": account.id.uuidString.lowercased(), "bank": account.bank.rawValue, "accountNo": account.accountNo,
         "accountName": account.accountName, "promptPayId": account.promptPayID?.description ?? NSNull(), "active": account.active]
    }
}
