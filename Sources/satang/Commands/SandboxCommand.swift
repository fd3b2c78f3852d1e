import API
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Payments

/// `satang sandbox ktb`: the KTB Direct Debit simulator, for demos and for trying a KTB configuration.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox", abstract: "Simulated banks for demos and tests.", subcommands: [KTBSandboxCommand.self])
}

struct KTBSandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ktb", abstract: "Serve a KTB Direct Debit Registration simulator that follows KTB's documentation (seed 004).")

    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 8090
    @Option(name: .customLong("callback-url"), help: "Where to send registration results, e.g. http://127.0.0.1:8080/api/v1/webhooks/ktb/ddr.")
    var callbackURL: String?
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
    }

    func run() async throws {
        let logger = logging.bootstrap()
        var settings = KTBSimulator.Settings()
        settings.callbackURL = callbackURL
        let simulator = KTBSimulator(settings: settings, logger: logger)
        Console.line("""
            KTB simulator on http://\(host):\(port) — SANDBOX, not Krungthai. Point Satang at it with:
              SATANG_KTB_BASE_URL=http://\(host):\(port) SATANG_KTB_CLIENT_ID=\(settings.clientID) \\
              SATANG_KTB_CLIENT_SECRET=\(settings.clientSecret) SATANG_KTB_VENDOR_ID=\(settings.vendorID) \\
              SATANG_KTB_COMPANY_ID=\(settings.companyID) SATANG_KTB_PARTNER_ID=\(settings.partnerID) \\
              SATANG_KTB_CALLBACK_API_KEY=\(settings.callbackAPIKey) satang serve --sandbox
            """)
        let app = Application(router: simulator.router(), configuration: .init(address: .hostname(host, port: port)), logger: logger)
        try await app.runService()
    }
}
