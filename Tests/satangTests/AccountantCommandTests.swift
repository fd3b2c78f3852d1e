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

/// `satang ledger adjust` and `satang ledger reverse`: who and why on the entry, shown in the statement.
@Suite struct LedgerCorrectionCommandTests {
    @Test func adjustThenReverseWithWhoAndWhy() async throws {
        try await withTestDatabase("adjustcli") { database, pool in
            _ = try await SatangProcess.run(["merchant", "create", "--code", "SHOP", "--name", "Shop", "--providers", "KBANK", "--database-url", database.url])
            let (status, output) = try await SatangProcess.run([
                "ledger", "adjust", "--book", "SHOP", "--debit", "provider:KBANK", "--credit", "merchant:available", "--amount", "12.34",
                "--reason", "bank fee refunded by KBANK", "--by", "somchai", "--reference", "ADJ-1", "--database-url", database.url])
            #expect(status == 0 && output.contains("adjustment posted as entry"), "\(output)")
            let (_, again) = try await SatangProcess.run([
                "ledger", "adjust", "--book", "SHOP", "--debit", "provider:KBANK", "--credit", "merchant:available", "--amount", "12.34",
                "--reason", "bank fee refunded by KBANK", "--by", "somchai", "--reference", "ADJ-1", "--database-url", database.url])
            #expect(again.contains("already posted"), "\(again)")
            let entry: Int64 = try await pool.query("SELECT id FROM ledger_entries WHERE kind = 'adjustment'").single!.decode("id")
            let (reverseStatus, reversed) = try await SatangProcess.run(["ledger", "reverse", "\(entry)", "--reason", "posted to the wrong book",
                                                                         "--by", "malee", "--database-url", database.url])
            #expect(reverseStatus == 0 && reversed.contains("reversal posted"), "\(reversed)")
            let (_, statement) = try await SatangProcess.run(["report", "statement", "--book", "SHOP", "--account", "merchant:available",
                                                              "--format", "csv", "--database-url", database.url])
            #expect(statement.contains("operator:somchai") && statement.contains("bank fee refunded by KBANK"), "\(statement)")
            #expect(statement.contains("operator:malee") && statement.contains("posted to the wrong book"), "\(statement)")
            let (badStatus, bad) = try await SatangProcess.run([
                "ledger", "adjust", "--book", "SHOP", "--debit", "fees", "--credit", "fees", "--amount", "1", "--reason", "x",
                "--reference", "ADJ-2", "--database-url", database.url])
            #expect(badStatus != 0 && bad.contains("two different accounts"), "\(bad)")
        }
    }
}

/// `satang dev seed`: a valid dataset of the asked size, the ledger invariants holding.
@Suite struct DevSeedCommandTests {
    @Test func seedsEntriesOverBooks() async throws {
        try await withTestDatabase("devseed") { database, pool in
            let (status, output) = try await SatangProcess.run(["dev", "seed", "--entries", "1201", "--books", "7", "--database-url", database.url])
            #expect(status == 0 && output.contains("posted 1201 entries (3603 postings) over 7 books"), "\(output)")
            let postings: Int = try await pool.query("SELECT count(*) AS n FROM ledger_postings").single!.decode("n")
            let accounts: Int = try await pool.query("SELECT count(*) AS n FROM ledger_accounts").single!.decode("n")
            #expect(postings == 3603 && accounts == 28)
            #expect(try await LedgerInvariants.check(pool).hold)
        }
    }
}
