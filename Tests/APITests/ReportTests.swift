import API
import Crypto
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

/// Reports over REST: figures checked against sums the test computes from the postings itself, CSV read
/// back with a CSV parser to the same figures, and who may read which book.
@Suite struct ReportTests {
    /// RFC 4180 records, independent of the server's writer.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if quoted {
                if character == "\"" {
                    let next = text.index(after: index)
                    if next < text.endIndex, text[next] == "\"" { field.append("\""); index = next } else { quoted = false }
                } else { field.append(character) }
            } else if character == "\"" { quoted = true }
            else if character == "," { row.append(field); field = "" }
            else if character == "\r\n" || character == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.append(character) }
            index = text.index(after: index)
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    @Test func trialBalanceAndStatementsAgreeWithThePostingsInJSONAndCSVForWhoMayReadThem() async throws {
        try await withMigratedTestDatabase("reports", poolSize: 6) { _, pool in
            let registry = MerchantRegistry(pool: pool)
            let (shopA, keyA) = try await registry.create(MerchantRegistration(code: "SHOPA", name: "Shop A, \"the first\"", providers: ["KBANK"], feePercent: "1.50"))
            let (shopB, _) = try await registry.create(MerchantRegistration(code: "SHOPB", name: "Shop B", providers: ["SCB"], feePercent: "2"))
            let (_, accountantKey) = try await Accountants(pool: pool).create(name: "External auditor")
            let ledger = Ledger(pool: pool)
            var entries: [JournalEntryRequest] = []
            for (index, gross) in [107_000, 55_55, 1].enumerated() {
                entries.append(try MoneyMovement.paymentSucceeded(book: shopA.bookID, paymentID: "A-\(index)", provider: "KBANK",
                                                                  gross: .minor(Int64(gross)), fee: .minor(Int64(gross) * 15 / 1000)))
            }
            entries.append(try MoneyMovement.paymentSucceeded(book: shopB.bookID, paymentID: "B-0", provider: "SCB", gross: .minor(20_000), fee: .minor(400)))
            entries.append(try MoneyMovement.payoutReserved(book: shopA.bookID, payoutID: "PA-0", amount: .minor(50_000)))
            _ = try await ledger.post(entries)

            let app = buildApplication(settings: ServerSettings(port: 0), pool: pool, logger: Logger(label: "test"))
            try await app.test(.live) { client in
                func get(_ uri: String, key: String?, csv: Bool = false) async throws -> TestResponse {
                    var headers: HTTPFields = [:]
                    if let key { headers[HTTPField.Name("X-API-Key")!] = key }
                    if csv { headers[.accept] = "text/csv" }
                    return try await client.execute(uri: uri, method: .get, headers: headers)
                }
                // Independent sums from the postings: debits, credits per book and account.
                let sums = try await pool.query(
                    """
                    SELECT b.code AS book, a.code AS account, sum(CASE WHEN p.amount > 0 THEN p.amount ELSE 0 END) AS debits,
                           sum(CASE WHEN p.amount < 0 THEN -p.amount ELSE 0 END) AS credits
                      FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id JOIN ledger_books b ON b.id = a.book_id
                     GROUP BY b.code, a.code
                    """)
                var expected: [String: (String, String)] = [:]
                for row in sums {
                    expected["\(try row.decode("book", as: String.self))|\(try row.decode("account", as: String.self))"] =
                        (Money.minor(try row.decode("debits")).decimalText, Money.minor(try row.decode("credits")).decimalText)
                }
                let all = try await get("/api/v1/reports/trial-balance", key: accountantKey)
                let document = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: all.body).utf8)) as? [String: Any])
                let lines = try #require(document["lines"] as? [[String: Any]])
                #expect(Set(lines.compactMap { $0["book"] as? String }) == ["SHOPA", "SHOPB"])
                for line in lines {
                    let key = "\(line["book"]!)|\(line["account"]!)"
                    let (debits, credits) = expected[key] ?? ("0.00", "0.00")
                    #expect(Money.minor(Int64(((line["debits"] as? Double) ?? 0) * 100 + 0.5)).decimalText == debits, "\(key)")
                    #expect(Money.minor(Int64(((line["credits"] as? Double) ?? 0) * 100 + 0.5)).decimalText == credits, "\(key)")
                }
                #expect((document["totals"] as? [[String: Any]])?.first?["balance"] as? Double == 0, "totals net to zero")

                // CSV: the same figures, read back with a CSV parser.
                let csv = Self.parseCSV(String(buffer: try await get("/api/v1/reports/trial-balance?format=csv", key: accountantKey).body))
                #expect(csv.first == ["book", "account", "type", "currency", "debits", "credits", "balance"])
                for row in csv.dropFirst() where row[0] != "TOTAL" {
                    #expect(expected["\(row[0])|\(row[1])"].map { [$0.0, $0.1] } ?? ["0.00", "0.00"] == [row[4], row[5]], "\(row)")
                }
                #expect(csv.last?[0] == "TOTAL" && csv.last?[6] == "0.00")

                // A merchant reads its own book only.
                let own = try await get("/api/v1/reports/trial-balance", key: keyA.apiKey)
                let ownBooks = Set(((try JSONSerialization.jsonObject(with: Data(String(buffer: own.body).utf8)) as? [String: Any])?["lines"]
                    as? [[String: Any]] ?? []).compactMap { $0["book"] as? String })
                #expect(own.status == .ok && ownBooks == ["SHOPA"])
                #expect(try await get("/api/v1/reports/trial-balance?book=SHOPB", key: keyA.apiKey).status == .forbidden)
                #expect(try await get("/api/v1/reports/statement?book=SHOPB&account=fees", key: keyA.apiKey).status == .forbidden)
                #expect(try await get("/api/v1/reports/trial-balance", key: nil).status == .unauthorized)
                #expect(try await get("/api/v1/reports/trial-balance", key: "ak_satang_nope").status == .unauthorized)
                #expect(try await get("/api/v1/reports/trial-balance?book=NOPE", key: accountantKey).status == .notFound)
                #expect(try await get("/api/v1/reports/trial-balance?book=NOPE", key: keyA.apiKey).status == .forbidden,
                        "a merchant cannot tell which other books exist")
                #expect(try await get("/api/v1/reports/trial-balance?format=xml", key: accountantKey).status == .badRequest)
                #expect(try await get("/api/v1/reports/trial-balance?as_of=yesterday", key: accountantKey).status == .badRequest)

                // As of a moment before everything: nothing yet.
                let before = try await get("/api/v1/reports/trial-balance?as_of=2020-01-01", key: accountantKey)
                let beforeLines = (try JSONSerialization.jsonObject(with: Data(String(buffer: before.body).utf8)) as? [String: Any])?["lines"] as? [[String: Any]] ?? []
                #expect(beforeLines.allSatisfy { $0["balance"] as? Double == 0 })

                // Statement, paged two lines at a time: opening + lines = closing, pages join up.
                var cursor: String?
                var amounts: [String] = []
                var closing = ""
                repeat {
                    let uri = "/api/v1/reports/statement?account=merchant:available&limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let page = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: try await get(uri, key: keyA.apiKey).body).utf8)) as? [String: Any])
                    amounts += (page["lines"] as? [[String: Any]] ?? []).map { String(describing: $0["amount"]!) }
                    closing = String(describing: page["closingBalance"]!)
                    cursor = page["nextCursor"] as? String
                } while cursor != nil
                #expect(amounts.count == 4, "three payments and a payout reserved")
                let statementCSV = Self.parseCSV(String(buffer: try await get("/api/v1/reports/statement?account=merchant:available", key: keyA.apiKey, csv: true).body))
                let csvAmounts = statementCSV.filter { !["opening", "closing", "kind"].contains($0[3]) }.map { Decimal(string: $0[7])! }
                #expect(csvAmounts.reduce(0, +) == Decimal(string: statementCSV.last![8])!, "lines sum to the closing balance")
                #expect(Decimal(string: closing) == Decimal(string: statementCSV.last![8]))
            }
        }
    }

    /// A merchant key meets the merchant API's own checks on reports too: a required signature, the allow-list.
    @Test func merchantKeysKeepTheirSignatureRuleAndAllowListOnReports() async throws {
        try await withMigratedTestDatabase("reportsigned", poolSize: 4) { _, pool in
            let registry = MerchantRegistry(pool: pool)
            let (_, signed) = try await registry.create(MerchantRegistration(
                code: "SIGNED", name: "Signed", providers: ["KBANK"], requireSignature: true))
            let (_, fenced) = try await registry.create(MerchantRegistration(
                code: "FENCED", name: "Fenced", providers: ["KBANK"], allowedIPs: ["203.0.113.0/24"]))
            let app = buildApplication(settings: ServerSettings(port: 0), pool: pool, logger: Logger(label: "test"))
            try await app.test(.live) { client in
                func get(key: String, signedWith secret: String? = nil) async throws -> TestResponse {
                    var headers: HTTPFields = [HTTPField.Name("X-API-Key")!: key]
                    if let secret {
                        let timestamp = String(Int64(Date().timeIntervalSince1970 * 1000))
                        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).".utf8), using: SymmetricKey(data: Data(secret.utf8)))
                        headers[HTTPField.Name("X-Timestamp")!] = timestamp
                        headers[HTTPField.Name("X-Signature")!] = "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
                    }
                    return try await client.execute(uri: "/api/v1/reports/trial-balance", method: .get, headers: headers)
                }
                let unsigned = try await get(key: signed.apiKey)
                #expect(unsigned.status == .unauthorized)
                #expect(String(buffer: unsigned.body).contains("SIGNATURE_REQUIRED"))
                #expect(try await get(key: signed.apiKey, signedWith: signed.apiSecret).status == .ok)
                let outside = try await get(key: fenced.apiKey)
                #expect(outside.status == .forbidden)
                #expect(String(buffer: outside.body).contains("IP_NOT_ALLOWED"))
            }
        }
    }
}
