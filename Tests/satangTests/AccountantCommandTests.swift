import Foundation
import PostgresClient
import SatangTestSupport
import Testing

/// `satang accountant create`, `satang report` and `satang export` as an operator runs them.
@Suite struct AccountantCommandTests {
    @Test func createAnAccountantThenReportAndExport() async throws {
        try await withTestDatabase("accountantcli") { database, pool in
            let (status, output) = try await SatangProcess.run(["accountant", "create", "--name", "Auditor", "--json", "--database-url", database.url])
            #expect(status == 0, "\(output)")
            let created = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            #expect((created["apiKey"] as? String)?.hasPrefix("ak_satang_") == true)
            let stored: Int = try await pool.query("SELECT count(*) AS n FROM accountants WHERE name = 'Auditor'").single!.decode("n")
            #expect(stored == 1)
            let (_, merchant) = try await SatangProcess.run([
                "merchant", "create", "--code", "SHOP", "--name", "Shop", "--providers", "KBANK", "--database-url", database.url])
            #expect(merchant.contains("SHOP"))
            let (reportStatus, report) = try await SatangProcess.run(["report", "trial-balance", "--format", "csv", "--database-url", database.url])
            #expect(reportStatus == 0 && report.contains("merchant:available"), "\(report)")
            let (exportStatus, export) = try await SatangProcess.run(["export", "hledger", "--book", "SHOP", "--database-url", database.url])
            #expect(exportStatus == 0 && export.contains("account Liabilities:SHOP:Merchant:Available"), "\(export)")
            let (badStatus, bad) = try await SatangProcess.run(["accountant", "create", "--name", " ", "--database-url", database.url])
            #expect(badStatus != 0 && bad.contains("name"))
        }
    }
}
