import API
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Payments
import PostgresClient
import ServiceLifecycle

/// `satang bench payments`: registrations over real HTTP at several concurrencies (alone, then with the
/// dispatcher running), the dispatcher alone, and the full loop to SUCCEEDED (sandbox bank) for one hot
/// merchant, against pgbench tpcb-like on the same server.
struct PaymentsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payments", abstract: "Payment registration and confirmation throughput against pgbench tpcb-like.")

    @Option(help: "Seconds per measurement.") var seconds: Int = 10
    @Option(help: "Comma-separated concurrencies for registrations.") var concurrency: String = "8,32"
    @Option(help: "Payments pushed through the full loop (enough that filling and draining the pipeline is a small part).") var loop: Int = 10_000
    @Option(help: "Finished payments (with their keys and events; a quarter with ledger entries and receipts) written before measuring, as a registry in use has.")
    var history: Int = 200_000
    /// At 16 clients the loop was bound by the clients' own round trips (registrations kept pace with
    /// confirmations, the machine 80–92% busy); at 32, as many as the second registration run, by the server.
    @Option(help: "Clients registering the full loop's payments (enough that the server, not the clients, limits the loop).")
    var loopClients: Int = 32
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var logging = self.logging
        if logging.level == "info" { logging.level = "error" }
        let logger = logging.bootstrap()
        let levels = concurrency.split(separator: ",").compactMap { Int($0) }.filter { (1...256).contains($0) }
        guard !levels.isEmpty else { throw ValidationError("--concurrency takes numbers from 1 to 256, e.g. 8,32") }
        guard (1...256).contains(loopClients) else { throw ValidationError("--loop-clients takes a number from 1 to 256") }
        let session = try await DatabaseSession.open(database, logger: logger)
        do {
            let bench = try await BenchDatabase.prepare(session.configuration, name: "satang_bench_payments", fresh: true)
            try await measure(bench, levels: levels, logger: logger)
        } catch {
            await session.close(logger: logger)
            throw error
        }
        await session.close(logger: logger)
    }

    private func measure(_ bench: BenchDatabase, levels: [Int], logger: Logger) async throws {
        let monitor = PostgresPool(configuration: .init(connection: bench.configuration, size: 1), logger: logger)
        try await MigrationRunner(migrations: Migration.load(from: Migration.defaultDirectory()), logger: logger).run(on: monitor)
        let code = "BENCH\(Int.random(in: 100_000...999_999))"
        let (merchant, credentials) = try await MerchantRegistry(pool: monitor).create(
            MerchantRegistration(code: code, name: "Bench", providers: ["KBANK"], defaultProvider: "KBANK", feePercent: "1.50"))
        try await RegistryHistory(merchant: merchant, payments: history).write(on: monitor)
        // The load generator's own thread, as pgbench has its own.
        let clientThread = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        Console.line("satang bench payments — \(seconds) s per run, servers on 127.0.0.1 (the second with the sandbox bank)")

        // Registrations alone, as pgbench's transactions are measured alone: a server with no provider runs
        // no dispatcher, so what it registers waits, NOT_SENT, for the next server.
        var alone: [Int: LatencySummary] = [:]
        try await serve(bench, sandbox: false, clients: clientThread, logger: logger) { load in
            for clients in levels {
                alone[clients] = try await measureRegistrations(
                    load: load, key: credentials.apiKey, source: code, clients: clients, monitor: monitor, label: "")
            }
        }

        var running: [Int: LatencySummary] = [:]
        var confirmed = 0.0
        // The dispatcher alone: from the sandbox server's start, it submits the backlog the runs above left.
        try await settle(monitor)
        let backlog = try await awaitingSubmission(monitor)
        let beforeBacklog = CPUTime.now()
        let serverStart = ContinuousClock.now
        try await serve(bench, sandbox: true, clients: clientThread, logger: logger) { load in
            let drained = try await drainDispatcher(monitor: monitor, since: serverStart)
            let usedByBacklog = CPUTime.now() - beforeBacklog
            Console.line(String(format: "dispatcher alone: submitted the %d payments registered above in %.1f s: %.0f payments/s",
                                backlog, drained, Double(backlog) / max(drained, 0.001)))
            Console.line("  \(usedByBacklog.perOperation(backlog))")
            // Registrations again with the dispatcher submitting them as they come, as one server does in production.
            for clients in levels {
                running[clients] = try await measureRegistrations(
                    load: load, key: credentials.apiKey, source: code, clients: clients, monitor: monitor, label: ", dispatcher running")
            }
            let late = try await drainDispatcher(monitor: monitor, since: .now)
            Console.line(String(format: "dispatcher backlog of those runs submitted after %.1f s more", late))
            try await settle(monitor)
            let beforeLoop = CPUTime.now()
            confirmed = try await fullLoop(
                load: load, key: credentials.apiKey, source: code, merchantID: merchant.id, monitor: monitor)
            let usedByLoop = CPUTime.now() - beforeLoop
            Console.line(String(format: "full loop (register → sandbox → webhook → SUCCEEDED + ledger + receipt), one merchant, %d clients: %.0f confirmed payments/s",
                                loopClients, confirmed))
            Console.line("  \(usedByLoop.perOperation(loop)); \(usedByLoop.machineBusy(over: Double(loop) / confirmed))")
        }
        try await clientThread.shutdownGracefully()

        try await settle(monitor)
        let pgbench = try PgBench.locate(conninfo: bench.conninfo)
        let seconds = self.seconds
        try await NIOThreadPool.singleton.runIfActive { try pgbench.initialise(scale: 10) }
        let beforePgbench = CPUTime.now()
        let tps = try await NIOThreadPool.singleton.runIfActive {
            try pgbench.tps(["-b", "tpcb-like"], clients: 8, seconds: seconds)
        }
        let usedByPgbench = CPUTime.now() - beforePgbench
        Console.line(String(format: "pgbench -b tpcb-like, 8 clients, scale 10: %.0f tps", tps))
        let transactions = Int(tps * Double(seconds))
        Console.line(String(format: "  CPU per transaction: machine %.0f µs (pgbench's client included)",
                            usedByPgbench.machineSeconds / Double(max(transactions, 1)) * 1e6))
        for clients in levels {
            Console.line(String(format: "ratio registrations/s (%d clients) ÷ tps: %.2f×   (target ≥ 1.0×); with the dispatcher running: %.2f×",
                                clients, alone[clients]!.perSecond / tps, running[clients]!.perSecond / tps))
        }
        Console.line(String(format: "ratio confirmed payments/s ÷ tps: %.2f×   (target ≥ 0.5×)", confirmed / tps))
        await monitor.shutdown()
    }

    /// Runs a server of its own (pool, port) for `body`, then shuts it down as a signal would: gracefully.
    private func serve(
        _ bench: BenchDatabase, sandbox: Bool, clients: any EventLoopGroup, logger: Logger,
        _ body: (ClosedLoopClients) async throws -> Void
    ) async throws {
        let pool = PostgresPool(configuration: .init(connection: bench.configuration, size: 16), logger: logger)
        let (bound, listening) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(
            settings: ServerSettings(port: 0, sandbox: sandbox), pool: pool, logger: logger,
            onListening: { port in
                listening.yield(port)
                listening.finish()
            })
        let server = ServiceGroup(configuration: .init(services: [app], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { listening.finish() }  // a server that fails to start ends the wait for its port
                try await server.run()
            }
            do {
                var ports = bound.makeAsyncIterator()
                guard let port = await ports.next() else {
                    try await group.waitForAll()  // the server's own error, e.g. a port it could not bind
                    throw BenchError("the bench server stopped before it listened")
                }
                try await body(ClosedLoopClients(group: clients, host: "127.0.0.1", port: port))
            } catch {
                await server.triggerGracefulShutdown()
                throw error
            }
            await server.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }

    /// One run of registrations at `clients`, printed with its CPU time per registration.
    private func measureRegistrations(
        load: ClosedLoopClients, key: String, source: String, clients: Int, monitor: PostgresPool, label: String
    ) async throws -> LatencySummary {
        try await settle(monitor)
        let before = CPUTime.now()
        let summary = try await register(load: load, key: key, source: source, clients: clients)
        let used = CPUTime.now() - before
        Console.line(String(format: "registrations, %3d clients%@: %7.0f req/s, p50 %.2f ms, p99 %.2f ms",
                            clients, label, summary.perSecond, summary.p50Milliseconds, summary.p99Milliseconds))
        Console.line("  \(used.perOperation(summary.count))")
        return summary
    }

    private static func head(key: String, idempotency: String) -> HTTPRequestHead {
        HTTPRequestHead(
            version: .http1_1, method: .POST, uri: "/api/v1/payments",
            headers: ["Host": "127.0.0.1", "X-API-Key": key, "X-Idempotency-Key": idempotency, "Content-Type": "application/json"])
    }

    private func register(load: ClosedLoopClients, key: String, source: String, clients: Int) async throws -> LatencySummary {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .seconds(seconds)
        let run = UUID().uuidString.prefix(8)
        let latencies = try await load.run(clients: clients, expectedStatus: 202) { client, index in
            guard clock.now < deadline else { return nil }
            let id = "\(run)-\(client)-\(index)"
            // "silence": the sandbox accepts it and sends no webhook, so these runs measure registration (and submission) only.
            let body = #"{"sourceId":"\#(source)","sourcePaymentId":"\#(id)","amount":100.25,"currency":"THB","metadata":{"sandbox":"silence"}}"#
            return (Self.head(key: key, idempotency: id), ByteBuffer(string: body))
        }
        return LatencySummary(latencies: latencies, seconds: (clock.now - start).secondsValue)
    }

    /// Starts each measurement from a quiet server: the earlier runs' dead rows vacuumed and their dirty pages
    /// written, so no measurement (ours or pgbench's) pays for the cleaning up after the one before.
    /// CHECKPOINT needs a superuser or `pg_checkpoint`; without one, only the vacuum is done.
    private func settle(_ monitor: PostgresPool) async throws {
        try await monitor.withConnection { connection in
            try connection.executeScript("VACUUM")
            try? connection.executeScript("CHECKPOINT")
        }
    }

    /// Waits until no payment awaits submission (at most 10 minutes); returns the seconds since `start`.
    private func drainDispatcher(monitor: PostgresPool, since start: ContinuousClock.Instant) async throws -> Double {
        while ContinuousClock.now - start < .seconds(600) {
            if try await awaitingSubmission(monitor) == 0 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return (ContinuousClock.now - start).secondsValue
    }

    private func awaitingSubmission(_ monitor: PostgresPool) async throws -> Int {
        try await monitor.query("SELECT count(*) AS n FROM payments WHERE status IN ('NOT_SENT', 'SUBMITTING')").single!.decode("n")
    }

    /// Registers `loop` payments from `loopClients` clients and waits until all are SUCCEEDED; returns confirmed/s.
    ///
    /// Progress is read from the merchant's receipt counter, one row: a receipt is issued in the transaction
    /// that makes a payment SUCCEEDED, and nothing else in this run succeeds. (Counting the loop's payments
    /// by `source_payment_id` was a parallel scan of the whole table every 50 ms, which took more than a
    /// core from the server it was measuring.) The count is checked exactly once the clock has stopped.
    private func fullLoop(load: ClosedLoopClients, key: String, source: String, merchantID: Int64, monitor: PostgresPool) async throws -> Double {
        let clock = ContinuousClock()
        let receiptsBefore = try await receiptsIssued(merchantID: merchantID, monitor: monitor)
        let start = clock.now
        let run = UUID().uuidString.prefix(8)
        let (total, clients) = (loop, loopClients)
        _ = try await load.run(clients: clients, expectedStatus: 202) { client, index in
            let payment = client + index * clients
            guard payment < total else { return nil }
            let id = "loop-\(run)-\(payment)"
            let body = #"{"sourceId":"\#(source)","sourcePaymentId":"\#(id)","amount":250,"currency":"THB"}"#
            return (Self.head(key: key, idempotency: id), ByteBuffer(string: body))
        }
        while clock.now - start < .seconds(600) {
            if try await receiptsIssued(merchantID: merchantID, monitor: monitor) - receiptsBefore >= total { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = (clock.now - start).secondsValue
        let succeeded: Int = try await monitor.query(
            "SELECT count(*) AS n FROM payments WHERE merchant_id = $1::int8 AND source_payment_id LIKE $2::text AND status = 'SUCCEEDED'",
            [.int64(merchantID), .string("loop-\(run)-%")]).single!.decode("n")
        guard succeeded == total else {
            throw BenchError("the full loop ended with \(succeeded) of \(total) payments SUCCEEDED")
        }
        return Double(total) / elapsed
    }

    private func receiptsIssued(merchantID: Int64, monitor: PostgresPool) async throws -> Int {
        try await monitor.query(
            "SELECT coalesce(sum(last_number), 0)::int8 AS n FROM receipt_counters WHERE merchant_id = $1::int8",
            [.int64(merchantID)]).single!.decode("n")
    }
}
