import ArgumentParser
import Foundation
import Payments

/// `satang accountant create`: an API key that reads every book and changes nothing.
struct AccountantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accountant", abstract: "Accountants: read-only API keys for every book.", subcommands: [AccountantCreateCommand.self])
}

struct AccountantCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an accountant; the API key is printed once.")
    @Option(help: "Who holds the key, e.g. \"Somchai (external auditor)\".") var name: String
    @Flag(help: "Print {\"name\", \"apiKey\", …} as JSON.") var json = false
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let name = self.name
        let (accountant, key): (Accountant, String)
        do {
            (accountant, key) = try await withDatabase(database, logging) { try await Accountants(pool: $0).create(name: name) }
        } catch let error as MerchantError {
            throw ValidationError("--\(error)")
        }
        if json {
            Console.line(jsonText(["id": accountant.id, "name": accountant.name, "apiKey": key, "apiKeyPrefix": accountant.apiKeyPrefix]))
        } else {
            Console.line("accountant \(accountant.name) created; API key (shown once): \(key)")
        }
    }
}
