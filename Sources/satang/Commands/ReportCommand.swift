import ArgumentParser

/// `satang report NAME`: the accountants' reports on the command line (table, csv or json).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Accountants' reports, as a table, CSV or JSON.",
        subcommands: [TrialBalanceCommand.self, StatementCommand.self, BalanceSummaryCommand.self, FeesReportCommand.self,
                      DailyVolumeCommand.self, ReceiptsRegisterCommand.self, ExceptionsReportCommand.self])
}
