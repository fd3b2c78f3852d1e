import ArgumentParser

/// `satang bench …`: benchmarks that print their figures beside a baseline measured in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run a benchmark against a baseline in the same run.",
        subcommands: [PoolBenchCommand.self, LedgerBenchCommand.self, PaymentsBenchCommand.self, ReportsBenchCommand.self])
}
