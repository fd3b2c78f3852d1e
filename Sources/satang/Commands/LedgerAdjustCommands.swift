import ArgumentParser
import Foundation
import Ledger

/// `satang ledger adjust`: an operator's correcting entry, recording who and why (it shows in statements).
struct LedgerAdjustCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adjust", abstract: "Post an operator's adjustment between two accounts of one book.")
    @Option(help: "Book code.") var book: String
    @Option(help: "Account debited, e.g. fees.") var debit: String
    @Option(help: "Account credited, e.g. merchant:available.") var credit: String
    @Option(help: "Amount, e.g. 12.50 (THB).") var amount: String
    @Option(help: "Why, for the accountants (required).") var reason: String
    @Option(help: "Who is adjusting; defaults to the login name.") var by: String = ProcessInfo.processInfo.environment["USER"] ?? "operator"
    /// Required: a reference made up here would differ on a re-run, and a retry after a timeout would post twice.
    @Option(help: "A unique reference for this adjustment (e.g. a ticket number): running the command again with it posts nothing more.")
    var reference: String
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let money: Money
        do { money = try Money.parse(amount) } catch { throw ValidationError("--amount: \(error)") }
        let (bookCode, debit, credit, reason, who) = (book, self.debit, self.credit, reason, "operator:\(by)")
        let reference = self.reference
        let result = try await withLedger(database, logging) { ledger in
            let book = try await ledger.book(code: bookCode)
            let entry = try MoneyMovement.adjustment(book: book.id, debit: debit, credit: credit, amount: money, reason: reason,
                                                     operator: who, reference: reference)
            return try await ledger.post(entry)
        }
        try LedgerReverseCommand.report(result, verb: "adjustment")
    }
}

/// `satang ledger reverse`: the mirror of an entry, linked to it, with who and why.
struct LedgerReverseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reverse", abstract: "Reverse a journal entry (at most once).")
    @Argument(help: "The entry id.") var entry: Int64
    @Option(help: "Why, for the accountants (required).") var reason: String
    @Option(help: "Who is reversing; defaults to the login name.") var by: String = ProcessInfo.processInfo.environment["USER"] ?? "operator"
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let (entry, reason, who) = (self.entry, reason, "operator:\(by)")
        let result = try await withLedger(database, logging) { try await $0.reverse(entryID: entry, reason: reason, recordedBy: who) }
        try Self.report(result, verb: "reversal")
    }

    static func report(_ result: EntryResult, verb: String) throws {
        switch result {
        case .posted(let entry): Console.line("\(verb) posted as entry \(entry.id)")
        case .duplicate(let entry): Console.line("\(verb) was already posted as entry \(entry.id); nothing posted again")
        case .rejected(let rejection): throw ValidationError("\(verb) refused: \(rejection)")
        }
    }
}
