import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import NIOCore
import Payments
import PostgresClient
import SatangTestSupport
import Testing

/// Balance summary, fees, daily volume, receipts register and exceptions: each figure checked against
/// sums the test computes from the raw rows, CSV read back, and who may read what.
@Suite struct AccountingReportTests {
    @Test func everyReportReconcilesToTheRowsItCovers() async throws {
        try await withMigratedTestDatabase("acctreports", poolSize: 8) { _, pool in
            _ = try await ReceivingAccounts(pool: pool).add(bank: "KBANK", accountNo: "1234567890", accountName: "Platform", promptPayID: nil)
            var keys: [String: String] = [:]
            for (code, fee) in [("ALPHA", "1.50"), ("BETA", "2.00")] {
                let (_, credentials) = try await MerchantRegistry(pool: pool).create(MerchantRegistration(
                    code: code, name: code, providers: ["KBANK"], defaultProvider: "KBANK", feePercent: fee))
                keys[code] = credentials.apiKey + "|" + credentials.apiSecret
            }
            let (_, accountant) = try await Accountants(pool: pool).create(name: "Auditor")
            let merchantKeys = keys
            let app = buildApplication(settings: ServerSettings(port: 0, sandbox: true), pool: pool, logger: Logger(label: "test"))
            try await app.test(.live) { client in
                for (code, amounts) in [("ALPHA", ["1070", "214.35"]), ("BETA", ["500.01"])] {
                    let parts = merchantKeys[code]!.split(separator: "|").map(String.init)
                    let headers: HTTPFields = [.contentType: "application/json", HTTPField.Name("X-API-Key")!: parts[0], HTTPField.Name("X-API-Secret")!: parts[1]]
                    for amount in amounts {
                        let created = try await client.execute(uri: "/api/v1/deposit/create", method: .post, headers: headers, body: ByteBuffer(string:
                            #"{"account_no":"1112223334","acc_name":"Customer","bank_code":"SCB","amount":\#(amount),"callback_url":"https://x.example/cb"}"#))
                        let reference = ((try JSONSerialization.jsonObject(with: Data(String(buffer: created.body).utf8)) as? [String: Any])?["data"] as? [String: Any])?["txn_id"] as? String ?? ""
                        _ = try await client.execute(uri: "/api/v1/sandbox/deposit/\(reference)/pay", method: .post)
                    }
                    try await LedgerExportCheckTests.waitUntil(
                        pool, "SELECT count(*) AS n FROM payments p JOIN merchants m ON m.id = p.merchant_id WHERE p.status = 'SUCCEEDED' AND m.code = '\(code)'",
                        is: amounts.count)
                    for (account, amount) in [("9876543210", "100.10"), (SandboxProvider.closedAccount, "20")] {
                        _ = try await client.execute(uri: "/api/v1/payout/create", method: .post, headers: headers, body: ByteBuffer(string:
                            #"{"account_no":"\#(account)","acc_name":"Supplier","bank_code":"BBL","amount":\#(amount),"callback_url":"https://x.example/cb"}"#))
                    }
                }
                try await LedgerExportCheckTests.waitUntil(pool, "SELECT count(*) AS n FROM payouts WHERE status IN ('completed', 'failed')", is: 4)

                func report(_ name: String, key: String, query: String = "") async throws -> (HTTPResponse.Status, [String: Any]) {
                    let response = try await client.execute(uri: "/api/v1/reports/\(name)\(query)", method: .get, headers: [HTTPField.Name("X-API-Key")!: key])
                    return (response.status, try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any] ?? [:])
                }
                func rows(_ document: [String: Any]) -> [[String: Any]] { document["rows"] as? [[String: Any]] ?? [] }
                func minor(_ value: Any?) -> Int64 { Int64(((value as? Double) ?? 0) * 100 + ((value as? Double ?? 0) >= 0 ? 0.5 : -0.5)) }
                func scalar(_ sql: String) async throws -> Int64 { try await pool.query(sql).single!.decode("n") }

                // Balance summary = the postings summed per account.
                let summary = try await report("balance-summary", key: accountant)
                #expect(rows(summary.1).count == 2)
                for row in rows(summary.1) {
                    let code = row["merchant"] as! String
                    func posted(_ account: String) async throws -> Int64 {
                        try await scalar("""
                            SELECT coalesce(sum(p.amount), 0) AS n FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
                              JOIN merchants m ON m.book_id = a.book_id WHERE m.code = '\(code)' AND a.code = '\(account)'
                            """)
                    }
                    #expect(minor(row["available"]) == -(try await posted("merchant:available")), "\(code)")
                    #expect(minor(row["payouts_in_flight"]) == -(try await posted("merchant:payouts_in_flight")))
                    #expect(minor(row["collected_KBANK"]) == (try await posted("provider:KBANK")))
                    #expect(minor(row["fees_earned"]) == -(try await posted("fees")))
                }

                // Fees: the rows add up to every posting on a fees account, per merchant too.
                let fees = try await report("fees", key: accountant, query: "?period=month")
                let feeTotal = rows(fees.1).reduce(Int64(0)) { $0 + minor($1["fees"]) }
                #expect(feeTotal == -(try await scalar("SELECT sum(p.amount) AS n FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = 'fees'")))
                #expect(minor((fees.1["summary"] as? [String: Any])?["fees_total"]) == feeTotal)
                #expect(rows(fees.1).allSatisfy { ($0["provider"] as? String) == "KBANK" && ($0["period"] as? String)?.count == 7 })

                // Daily volume: deposits succeeded, payouts completed and refunded, as the business tables say.
                let volume = try await report("daily-volume", key: accountant)
                let day = try #require(rows(volume.1).first)
                #expect(day["deposits_succeeded_count"] as? Int == 3 && day["payments_succeeded_count"] as? Int == 0)
                #expect(minor(day["deposits_succeeded_sum"]) == (try await scalar("SELECT sum(amount) AS n FROM payments WHERE status = 'SUCCEEDED'")))
                #expect(day["payouts_completed_count"] as? Int == 2 && minor(day["payouts_completed_sum"]) == 20_020)
                #expect(day["payouts_refunded_count"] as? Int == 2 && minor(day["payouts_refunded_sum"]) == 4_000)
                #expect(day["currency"] as? String == "THB" && day["reversals_count"] as? Int == 0)

                // Receipts register: every receipt, VAT total as the receipts table sums it, no gap.
                let register = try await report("receipts", key: accountant)
                #expect(rows(register.1).count == 3 && (register.1["problems"] as? [String])?.isEmpty == true)
                #expect(minor((register.1["summary"] as? [String: Any])?["vat_total"]) == (try await scalar("SELECT sum(vat) AS n FROM receipts")))
                let csvResponse = try await client.execute(uri: "/api/v1/reports/receipts?format=csv", method: .get, headers: [HTTPField.Name("X-API-Key")!: accountant])
                let csv = ReportTests.parseCSV(String(buffer: csvResponse.body))
                #expect(csv.first == ["number", "date", "merchant", "payer", "currency", "base", "vat", "total"])
                let totalRow = try #require(csv.last)
                let vatSum = try await scalar("SELECT sum(vat) AS n FROM receipts")
                #expect(totalRow[0] == "TOTAL" && Decimal(string: totalRow[6]) == Decimal(vatSum) / 100)
                let csvVAT = csv.dropFirst().dropLast().reduce(Decimal(0)) { $0 + Decimal(string: $1[6])! }
                #expect(csvVAT == Decimal(string: totalRow[6]))
                // A gap is reported, never hidden.
                let alpha: Int64 = try await pool.query("SELECT id FROM merchants WHERE code = 'ALPHA'").single!.decode("id")
                let alphaHeaders: HTTPFields = [.contentType: "application/json", HTTPField.Name("X-API-Key")!: merchantKeys["ALPHA"]!.split(separator: "|").map(String.init)[0],
                                                HTTPField.Name("X-Idempotency-Key")!: "spare-1"]
                let registered = try await client.execute(uri: "/api/v1/payments", method: .post, headers: alphaHeaders, body: ByteBuffer(string:
                    #"{"sourceId":"ALPHA","sourcePaymentId":"SPARE-1","amount":107,"currency":"THB","metadata":{"sandbox":"silence"}}"#))
                let spare = try #require(UUID(uuidString: (try JSONSerialization.jsonObject(with: Data(String(buffer: registered.body).utf8)) as? [String: Any])?["id"] as? String ?? ""))
                // A number that does not spell its sequence is refused, so one sequence cannot show two numbers.
                let misnumbered = await #expect(throws: PostgresError.self) {
                    try await pool.query(
                        """
                        INSERT INTO receipts (merchant_id, payment_id, year, sequence, number, seller_name, provider, currency, total, base, vat)
                        VALUES ($1::int8, $2::uuid, 2026, 5, 'RC2026-000006', 'ALPHA', 'KBANK', 'THB', 107, 100, 7)
                        """, [.int64(alpha), .uuid(spare)])
                }
                #expect(misnumbered?.constraint == "receipts_number_spells_sequence")
                try await pool.query(
                    """
                    INSERT INTO receipts (merchant_id, payment_id, year, sequence, number, seller_name, provider, currency, total, base, vat)
                    SELECT $1::int8, $2::uuid, y.year, 5, 'RC' || y.year || '-000005', 'ALPHA', 'KBANK', 'THB', 107, 100, 7
                      FROM (SELECT extract(year from now() AT TIME ZONE 'Asia/Bangkok')::int AS year) y
                    """, [.int64(alpha), .uuid(spare)])
                let gapped = try await report("receipts", key: accountant)
                #expect((gapped.1["problems"] as? [String])?.contains { $0.contains("ALPHA") && $0.contains("3–4") && $0.contains("missing") } == true, "\(gapped.1)")

                // A merchant reads only its own rows; another book or an unknown report is refused.
                let alphaKey = merchantKeys["ALPHA"]!.split(separator: "|").map(String.init)[0]
                let own = try await report("balance-summary", key: alphaKey)
                #expect(rows(own.1).map { $0["merchant"] as? String } == ["ALPHA"])
                #expect(try await report("fees", key: alphaKey, query: "?book=BETA").0 == .forbidden)
                #expect(try await report("nonsense", key: accountant).0 == .notFound)
                #expect(try await report("fees", key: accountant, query: "?period=week").0 == .badRequest)
                #expect(try await report("exceptions", key: accountant).0 == .ok)
            }
        }
    }
}
