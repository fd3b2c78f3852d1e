import Foundation
import PostgresClient
import SatangTestSupport
import Testing

/// `satang receiving-account add|list` as an operator sets up where deposits are paid.
@Suite struct ReceivingAccountCommandTests {
    @Test func addThenListAndRefuseBadOrRepeatedAccounts() async throws {
        try await withTestDatabase("recvcli") { database, pool in
            let (status, output) = try await SatangProcess.run([
                "receiving-account", "add", "--bank", "KBANK", "--account-no", "1234567890", "--name", "Satang Co., Ltd.",
                "--promptpay-id", "081-222-3333", "--json", "--database-url", database.url,
            ])
            #expect(status == 0, "\(output)")
            let added = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            #expect(added["promptPayId"] as? String == "0812223333" && added["bank"] as? String == "KBANK")

            let (_, listed) = try await SatangProcess.run(["receiving-account", "list", "--database-url", database.url])
            #expect(listed.contains("1234567890") && listed.contains("Satang Co., Ltd."), "\(listed)")

            let (again, repeated) = try await SatangProcess.run([
                "receiving-account", "add", "--bank", "KBANK", "--account-no", "1234567890", "--name", "Other",
                "--database-url", database.url,
            ])
            #expect(again != 0 && repeated.contains("already a receiving account"), "\(repeated)")

            let (bad, refused) = try await SatangProcess.run([
                "receiving-account", "add", "--bank", "BAY", "--account-no", "12", "--name", "X", "--promptpay-id", "99",
                "--database-url", database.url,
            ])
            #expect(bad != 0)
            for field in ["--bank:", "--account-no:", "--name:", "--promptpay-id:"] { #expect(refused.contains(field), "\(refused)") }
            let count: Int = try await pool.query("SELECT count(*) AS n FROM receiving_accounts").single!.decode("n")
            #expect(count == 1)
        }
    }
}
