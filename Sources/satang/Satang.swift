import ArgumentParser

/// `satang`: the payments ledger service and its operator commands.
struct Satang: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "satang",
        abstract: "Satang: a PostgreSQL-backed payments ledger for Thai baht.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, MerchantCommand.self, LedgerCommand.self, CallbacksCommand.self,
            ExceptionsCommand.self, ReceivingAccountCommand.self, AccountantCommand.self, ReportCommand.self, ExportCommand.self, SandboxCommand.self, DevCommand.self, BenchCommand.self,
        ]
    )
}
