import Foundation
import Ledger
import Payments
import PostgresClient
import SatangTestSupport
import Testing

/// Merchants are created with their ledger book, recognised by API key (only its hash is stored), and can be disabled.
@Suite struct MerchantRegistryTests {
    private func withRegistry(_ label: String, _ body: (MerchantRegistry, PostgresPool) async throws -> Void) async throws {
        try await withMigratedTestDatabase(label) { _, pool in
            try await body(MerchantRegistry(pool: pool), pool)
        }
    }

    private let testSource = MerchantRegistration(
        code: "TESTSRC", name: "Test Source Co., Ltd.", taxID: "0105556123456", address: "1 Sukhumvit Rd, Bangkok",
        providers: ["KBANK", "scb"], defaultProvider: "KBANK", feePercent: "1.50",
        callbackURL: "https://merchant.example/callback", allowedIPs: ["203.0.113.0/24", "2001:db8::1"])

    @Test func createdMerchantsAreRecognisedByTheirKeyOnly() async throws {
        try await withRegistry("mcreate") { registry, pool in
            let (merchant, credentials) = try await registry.create(testSource)
            #expect(merchant.providers == [.kbank, .scb])
            #expect(merchant.feeRate.partsPerMillion == 15_000)
            #expect(merchant.allowedIPs == ["203.0.113.0/24", "2001:db8::1"])
            let (found, secret) = try #require(try await registry.authenticate(apiKey: credentials.apiKey))
            #expect(found.id == merchant.id)
            #expect(secret == credentials.apiSecret)
            #expect(try await registry.authenticate(apiKey: credentials.apiKey + "x") == nil)
            #expect(try await registry.authenticate(apiKey: "") == nil)
            // The key itself is nowhere in the database.
            let leaks: Int = try await pool.query(
                "SELECT count(*) AS n FROM merchants WHERE strpos(row_to_json(merchants)::text, $1::text) > 0",
                [.string(credentials.apiKey)]
            ).single!.decode("n")
            #expect(leaks == 0)
            // The merchant's book and chart exist.
            let ledger = Ledger(pool: pool)
            let available = try await ledger.account(book: merchant.bookID, code: AccountCode.merchantAvailable)
            #expect(available.nonNegative)
            _ = try await ledger.account(book: merchant.bookID, code: AccountCode.provider("SCB"))
        }
    }

    @Test func aDisabledMerchantsKeyStopsWorking() async throws {
        try await withRegistry("mdisable") { registry, _ in
            let (_, credentials) = try await registry.create(testSource)
            let disabled = try await registry.disable(code: "TESTSRC")
            #expect(disabled.isDisabled)
            #expect(try await registry.authenticate(apiKey: credentials.apiKey) == nil)
            await #expect(throws: MerchantError.notFound("NOPE")) { try await registry.disable(code: "NOPE") }
        }
    }

    @Test func aCodeIsTakenOnce() async throws {
        try await withRegistry("mdup") { registry, pool in
            _ = try await registry.create(testSource)
            await #expect(throws: MerchantError.duplicateCode("TESTSRC")) { try await registry.create(testSource) }
            let merchants: Int = try await pool.query("SELECT count(*) AS n FROM merchants").single!.decode("n")
            #expect(merchants == 1)
        }
    }

    @Test func everyBadFieldIsNamed() async throws {
        try await withRegistry("mvalid") { registry, _ in
            let bad = MerchantRegistration(
                code: "x", name: " ", taxID: "12", providers: ["KBANK", "PAYPAL"], defaultProvider: "BBL",
                feePercent: "150", callbackURL: "http://merchant.example/cb", allowedIPs: ["10.0.0.0/99"],
                paymentTimeToLiveSeconds: 5)
            let error = await #expect(throws: MerchantError.self) { try await registry.create(bad) }
            guard case .invalid(let problems) = error else { Issue.record("\(String(describing: error))"); return }
            #expect(Set(problems.keys) == [
                "code", "name", "taxId", "providers", "defaultProvider", "feePercent", "callbackUrl", "allowIp",
                "paymentTtlSeconds",
            ])
        }
    }
}
