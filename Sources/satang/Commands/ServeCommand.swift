import API
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Payments
import PostgresClient
import UnixSignals

/// `satang serve`: migrate, then serve HTTP until SIGINT or SIGTERM, then shut down gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Migrate the database and serve the HTTP API.")

    @Option(name: .customLong("host"), help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .customLong("port"), help: "Port to listen on.")
    var port: Int = 8080

    @Flag(help: "Run the simulated bank for every provider (demo and tests only; shown in /api/v1/health).")
    var sandbox = false

    @Flag(name: .customLong("dev-allow-insecure-callbacks"),
          help: "Development only: deliver callbacks over http and to private or loopback addresses.")
    var allowInsecureCallbacks = false

    @Option(name: .customLong("submission-lease-seconds"),
            help: "How long a payment's submission to its provider may take before another attempt may take it over.")
    var submissionLeaseSeconds: Int = 60

    @Option(name: .customLong("public-url"),
            help: "The address customers reach this server at (e.g. https://pay.example.com), for deposit QR and payment page links.")
    var publicURL: String?

    @Option(name: .customLong("trusted-proxy"),
            help: "A load balancer (address or CIDR block) whose X-Forwarded-For names the client, for IP allow-lists; repeatable.")
    var trustedProxies: [String] = []

    @Option(name: .customLong("ktb-config"),
            help: "A JSON file of KTB Direct Debit settings (baseURL, clientID, clientSecret, …); without it, SATANG_KTB_* variables.")
    var ktbConfig: String?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        for block in trustedProxies where !CIDRBlock.isValid(block) {
            throw ValidationError("--trusted-proxy \(block) is not an IPv4 or IPv6 address or CIDR block")
        }
        if let publicURL {
            let components = URLComponents(string: publicURL)
            guard ["http", "https"].contains(components?.scheme ?? ""), components?.host?.isEmpty == false,
                components?.path.isEmpty != false || components?.path == "/", components?.query == nil
            else { throw ValidationError("--public-url must be an http(s) address without a path, e.g. https://pay.example.com") }
        }
        guard (1...3600).contains(submissionLeaseSeconds) else {
            throw ValidationError("--submission-lease-seconds must be between 1 and 3600")
        }
    }

    func run() async throws {
        let startedAt = Date()
        let logger = logging.bootstrap()
        let session = try await DatabaseSession.open(database, logger: logger, stopsAdoptedServer: true)
        let pool = session.pool(database, logger: logger)
        do {
            let report = try await session.migrate(pool: pool, logger: logger)
            logger.info("database ready", metadata: ["migrations.applied": "\(report.applied.count)"])
            var settings = ServerSettings(
                host: host, port: port, providerSecrets: ServerSettings.providerSecrets(), sandbox: sandbox,
                allowInsecureCallbacks: allowInsecureCallbacks, submissionLease: .seconds(submissionLeaseSeconds))
            settings.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            settings.trustedProxies = trustedProxies
            settings.ktb = try KTBConfiguration.load(file: ktbConfig)
            if let ktb = settings.ktb { logger.info("KTB Direct Debit configured", metadata: ["ktb": "\(ktb)"]) }
            let app = buildApplication(settings: settings, pool: pool, logger: logger, startedAt: startedAt)
            // Runs until SIGINT, SIGTERM or SIGHUP (a closed terminal); in-flight requests drain, then the pool closes.
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint, .sighup])
        } catch {
            logger.error("satang stopped on an error", metadata: ["error": "\(error)"])
            await pool.shutdown()
            await session.close(logger: logger)
            throw ExitCode.failure
        }
        await pool.shutdown()
        await session.close(logger: logger)
        logger.info("satang stopped")
    }
}
