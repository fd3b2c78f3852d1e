import ArgumentParser

/// `satang report NAME`: the accountants' reports on the command line (table, csv or json).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Accountants' reports: trial balance and account statements.",
        subcommands: [TrialBalanceCommand.self, StatementCommand.self])
}
