import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PostgresClient

/// `satang bench pool`: single-row parameterised SELECTs through the pool, against `pgbench -S` on the same server.
struct PoolBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Pool throughput and latency at several concurrencies, against pgbench -S in the same run.")

    @Option(help: "Seconds per measurement.") var seconds: Int = 5
    @Option(help: "Comma-separated concurrencies.") var concurrency: String = "1,8,32"
    @Option(help: "pgbench scale (100,000 accounts each).") var scale: Int = 1
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var logging = self.logging
        if logging.level == "info" { logging.level = "warning" }
        let logger = logging.bootstrap()
        let levels = concurrency.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !levels.isEmpty, levels.allSatisfy({ $0 > 0 && $0 <= 256 }) else {
            throw ValidationError("--concurrency takes numbers from 1 to 256, e.g. 1,8,32")
        }
        let session = try await DatabaseSession.open(database, logger: logger)
        do {
            let bench = try await BenchDatabase.prepare(session.configuration, name: "satang_bench")
            let pgbench = try PgBench.locate(conninfo: bench.conninfo)
            Console.line("preparing pgbench tables (scale \(scale))…")
            try await NIOThreadPool.singleton.runIfActive { try pgbench.initialise(scale: scale) }
            let accounts = Int32(scale * 100_000)
            Console.line()
            Console.line("satang bench pool — \(seconds) s per run, SELECT abalance FROM pgbench_accounts WHERE aid = $1")
            Console.line("conc   satang stmt/s   p50 ms   p99 ms   pgbench -S tps   ratio   pgbench -S -M prepared tps   ratio")
            for clients in levels {
                let ours = try await measure(bench.configuration, clients: clients, accounts: accounts)
                let simple = try await NIOThreadPool.singleton.runIfActive {
                    try pgbench.tps(["-S"], clients: clients, seconds: seconds)
                }
                let prepared = try await NIOThreadPool.singleton.runIfActive {
                    try pgbench.tps(["-S", "-M", "prepared"], clients: clients, seconds: seconds)
                }
                Console.line(
                    String(
                        format: "%4d   %13.0f   %6.3f   %6.3f   %14.0f   %5.2f×   %26.0f   %5.2f×",
                        clients, ours.perSecond, ours.p50Milliseconds, ours.p99Milliseconds,
                        simple, ours.perSecond / simple, prepared, ours.perSecond / prepared))
            }
            Console.line()
            Console.line("target: satang ≥ 0.7× pgbench -S at concurrency 8")
        } catch {
            await session.close(logger: logger)
            throw error
        }
        await session.close(logger: logger)
    }

    private func measure(_ configuration: PostgresConfiguration, clients: Int, accounts: Int32) async throws
        -> LatencySummary
    {
        let pool = PostgresPool(configuration: .init(connection: configuration, size: clients))
        // Warm up: open every connection and prepare the statement on each.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    try await pool.query("SELECT abalance FROM pgbench_accounts WHERE aid = $1::int4", [.int32(1)])
                }
            }
            try await group.waitForAll()
        }
        let duration = Duration.seconds(seconds)
        let clock = ContinuousClock()
        let start = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var samples: [Int64] = []
                    samples.reserveCapacity(200_000)
                    while clock.now - start < duration {
                        let began = clock.now
                        let rows = try await pool.query(
                            "SELECT abalance FROM pgbench_accounts WHERE aid = $1::int4",
                            [.int32(Int32.random(in: 1...accounts))])
                        _ = try rows.single?.decode("abalance", as: Int32.self)
                        samples.append((clock.now - began).nanosecondsValue)
                    }
                    return samples
                }
            }
            return try await group.reduce(into: [Int64]()) { $0.append(contentsOf: $1) }
        }
        let elapsed = (clock.now - start).secondsValue
        await pool.shutdown()
        return LatencySummary(latencies: latencies, seconds: elapsed)
    }
}
