import Foundation
import PostgresClient
import SatangTestSupport
import Testing

/// `satang merchant create|list|show|disable` as an operator uses them.
@Suite struct MerchantCommandTests {
    @Test func createPrintsTheCredentialsOnceThenListShowAndDisable() async throws {
        try await withTestDatabase("merchantcli") { database, pool in
            let (status, output) = try await SatangProcess.run([
                "merchant", "create", "--code", "TESTSRC", "--name", "Test Source", "--providers", "KBANK,SCB",
                "--default-provider", "KBANK", "--fee-percent", "1.50", "--callback-url", "https://example.com/cb",
                "--allow-ip", "203.0.113.0/24", "--json", "--database-url", database.url,
            ])
            #expect(status == 0, "\(output)")
            let created = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            let apiKey = try #require(created["apiKey"] as? String)
            #expect(apiKey.hasPrefix("sk_satang_"))
            #expect((created["apiSecret"] as? String)?.count ?? 0 >= 32)
            #expect(created["code"] as? String == "TESTSRC")
            #expect(created["feePercent"] as? String == "1.50")

            let (_, shown) = try await SatangProcess.run(["merchant", "show", "TESTSRC", "--database-url", database.url])
            #expect(!shown.contains(apiKey), "show never prints the key")
            #expect(shown.contains("\"apiKeyPrefix\""))

            let (_, listed) = try await SatangProcess.run(["merchant", "list", "--database-url", database.url])
            #expect(listed.contains("TESTSRC") && listed.contains("active"), "\(listed)")

            let (disableStatus, disabled) = try await SatangProcess.run(
                ["merchant", "disable", "TESTSRC", "--database-url", database.url])
            #expect(disableStatus == 0, "\(disabled)")
            let stillEnabled: Int = try await pool.query(
                "SELECT count(*) AS n FROM merchants WHERE disabled_at IS NULL").single!.decode("n")
            #expect(stillEnabled == 0)
        }
    }

    @Test func badInputIsRefusedNamingTheField() async throws {
        try await withTestDatabase("merchantbad") { database, _ in
            let (status, output) = try await SatangProcess.run([
                "merchant", "create", "--code", "S1", "--name", "Shop", "--providers", "KBANK,VISA",
                "--database-url", database.url,
            ])
            #expect(status != 0)
            #expect(output.contains("providers: unknown provider VISA"), "\(output)")
        }
    }
}
