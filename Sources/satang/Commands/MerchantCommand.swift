import ArgumentParser
import Foundation
import Ledger
import Payments
import PostgresClient

/// `satang merchant …`: manage the merchants (the seeds' "sources") that call Satang.
struct MerchantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merchant", abstract: "Create, list, show and disable merchants.",
        subcommands: [MerchantCreateCommand.self, MerchantListCommand.self, MerchantShowCommand.self,
                      MerchantDisableCommand.self])
}

/// Opens the database for an operator command and hands `body` the merchant registry.
func withMerchants<T>(
    _ database: DatabaseOptions, _ logging: LoggingOptions, _ body: (MerchantRegistry) async throws -> T
) async throws -> T {
    try await withDatabase(database, logging) { pool in try await body(MerchantRegistry(pool: pool)) }
}

/// What `merchant show` and `create --json` print about a merchant (never the key or the secret).
func merchantDocument(_ merchant: Merchant) -> [String: Any] {
    [
        "code": merchant.code, "name": merchant.name, "taxId": merchant.taxID ?? NSNull(),
        "address": merchant.address ?? NSNull(), "providers": merchant.providers.map(\.rawValue),
        "defaultProvider": merchant.defaultProvider?.rawValue ?? NSNull(), "feePercent": merchant.feeRate.description,
        "callbackUrl": merchant.callbackURL ?? NSNull(), "requireSignature": merchant.requireSignature,
        "allowedIps": merchant.allowedIPs, "paymentTtlSeconds": merchant.paymentTimeToLive.components.seconds,
        "bookId": merchant.bookID, "apiKeyPrefix": merchant.apiKeyPrefix,
        "disabledAt": merchant.disabledAt?.reportText ?? NSNull(), "createdAt": merchant.createdAt.reportText,
    ]
}

func jsonText(_ document: Any) -> String {
    let data = try! JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
}

struct MerchantCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a merchant and print its API key and secret (shown only this once).")

    @Option(help: "Merchant code (the seeds' sourceId), e.g. TESTSRC.") var code: String
    @Option(help: "Legal name, printed on receipts.") var name: String
    @Option(name: .customLong("tax-id"), help: "Thai tax id (13 digits), printed on receipts.") var taxID: String?
    @Option(help: "Address, printed on receipts.") var address: String?
    @Option(help: "Comma-separated providers: KBANK, SCB, BBL, KTB.") var providers: String
    @Option(name: .customLong("default-provider"), help: "Used when a payment names none.") var defaultProvider: String?
    @Option(name: .customLong("fee-percent"), help: "Fee on each payment, e.g. 1.50.") var feePercent: String?
    @Option(name: .customLong("callback-url"), help: "https URL that receives status callbacks.") var callbackURL: String?
    @Flag(name: .customLong("require-signature"), help: "Every call must carry an HMAC signature.") var requireSignature = false
    @Option(name: .customLong("allow-ip"), help: "Address or CIDR block calls may come from (repeatable).") var allowIP: [String] = []
    @Option(name: .customLong("payment-ttl"), help: "Seconds a payment may stay unfinished.") var paymentTTL: Int = 900
    @Flag(name: .customLong("insecure-callback"), help: "Accept an http:// callback URL (development only).")
    var insecureCallback = false
    @Flag(help: "Print JSON: {code, apiKey, apiSecret, …}.") var json = false
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let registration = MerchantRegistration(
            code: code, name: name, taxID: taxID, address: address,
            providers: providers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
            defaultProvider: defaultProvider, feePercent: feePercent, callbackURL: callbackURL,
            requireSignature: requireSignature, allowedIPs: allowIP, paymentTimeToLiveSeconds: paymentTTL,
            allowInsecureCallback: insecureCallback)
        let (merchant, credentials) = try await withMerchants(database, logging) { try await $0.create(registration) }
        if json {
            var document = merchantDocument(merchant)
            document["apiKey"] = credentials.apiKey
            document["apiSecret"] = credentials.apiSecret
            Console.line(jsonText(document))
        } else {
            Console.line("merchant \(merchant.code) created (ledger book \(merchant.bookID))")
            Console.line("API key:    \(credentials.apiKey)")
            Console.line("API secret: \(credentials.apiSecret)")
            Console.line("Store both now: Satang keeps only a hash of the key and shows neither again.")
        }
    }
}

struct MerchantListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List merchants.")
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let merchants = try await withMerchants(database, logging) { try await $0.list() }
        if format == .json {
            Console.line(jsonText(merchants.map(merchantDocument)))
            return
        }
        var table = ReportTable(columns: [
            ("code", .left), ("name", .left), ("providers", .left), ("default", .left), ("fee %", .right),
            ("signature", .left), ("status", .left), ("key", .left),
        ])
        for merchant in merchants {
            table.rows.append([
                merchant.code, merchant.name, merchant.providers.map(\.rawValue).joined(separator: " "),
                merchant.defaultProvider?.rawValue ?? "", merchant.feeRate.description,
                merchant.requireSignature ? "required" : "optional", merchant.isDisabled ? "disabled" : "active",
                merchant.apiKeyPrefix + "…",
            ])
        }
        Console.line(format == .csv ? table.renderCSV() : table.renderTable())
    }
}

struct MerchantShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one merchant's settings.")
    @Argument(help: "Merchant code.") var code: String
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let code = self.code
        let merchant = try await withMerchants(database, logging) { try await $0.merchant(code: code) }
        Console.line(jsonText(merchantDocument(merchant)))
    }
}

struct MerchantDisableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Disable a merchant: its API key stops working at once.")
    @Argument(help: "Merchant code.") var code: String
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let code = self.code
        let merchant = try await withMerchants(database, logging) { try await $0.disable(code: code) }
        Console.line("merchant \(merchant.code) disabled at \(merchant.disabledAt?.reportText ?? "")")
    }
}
