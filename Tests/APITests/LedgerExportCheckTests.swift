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
import Synchronization
import Testing

/// The export check of the accountants' issue: a dataset of several merchants with deposits, payouts,
/// cancels, failures, fees and a reversal, made through the real paths, exported; `bean-check` and
/// `hledger check` accept the files, and the balances each tool computes equal Satang's trial balance
/// to the satang. (The README's test command installs beancount from PyPI and hledger from Debian.)
@Suite struct LedgerExportCheckTests {
    static let providerSecret = "kbank-webhook-secret-for-export-tests-0123"

    @Test func beancountAndHledgerAgreeWithTheTrialBalance() async throws {
        try await withMigratedTestDatabase("exportcheck", poolSize: 8) { _, pool in
            _ = try await ReceivingAccounts(pool: pool).add(bank: "KBANK", accountNo: "1234567890", accountName: "Platform", promptPayID: "0812223333")
            var made: [(code: String, key: String, secret: String)] = []
            for (index, code) in ["SHOP-A", "shop_b", "9SHOP"].enumerated() {
                let (_, credentials) = try await MerchantRegistry(pool: pool).create(MerchantRegistration(
                    code: code, name: "Merchant \(index)", providers: ["KBANK", "SCB"], defaultProvider: "KBANK",
                    feePercent: ["1.50", "2.25", "0"][index]))
                made.append((code, credentials.apiKey, credentials.apiSecret))
            }
            let merchants = made
            let app = buildApplication(
                settings: ServerSettings(port: 0, providerSecrets: ["KBANK": Self.providerSecret], sandbox: true, allowInsecureCallbacks: true),
                pool: pool, logger: Logger(label: "test"))
            try await app.test(.live) { client in
                for (index, merchant) in merchants.enumerated() {
                    let headers: HTTPFields = [.contentType: "application/json", HTTPField.Name("X-API-Key")!: merchant.key,
                                               HTTPField.Name("X-API-Secret")!: merchant.secret]
                    func post(_ uri: String, _ body: String) async throws -> [String: Any] {
                        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
                        return try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any] ?? [:]
                    }
                    // Deposits: two paid (amounts with satang), one cancelled, one left to expire.
                    for amount in ["1234.57", "99.99", "500", "42"] {
                        let data = try #require(try await post("/api/v1/deposit/create",
                            #"{"account_no":"1112223334","acc_name":"Customer","bank_code":"SCB","amount":\#(amount),"callback_url":"https://x.example/cb"}"#)["data"] as? [String: Any])
                        let reference = try #require(data["txn_id"] as? String)
                        switch amount {
                        case "500": _ = try await post("/api/v1/deposit/\(reference)/cancel", "")
                        case "42": break
                        default: _ = try await post("/api/v1/sandbox/deposit/\(reference)/pay", "")
                        }
                    }
                    try await Self.waitUntil(pool, "SELECT count(*) AS n FROM payments WHERE status = 'SUCCEEDED'", is: 2 * (index + 1))
                    // Payouts: one sent, one refused by the bank (refunded).
                    _ = try await post("/api/v1/payout/create",
                        #"{"account_no":"9876543210","acc_name":"Supplier","bank_code":"BBL","amount":300.10,"callback_url":"https://x.example/cb"}"#)
                    _ = try await post("/api/v1/payout/create",
                        #"{"account_no":"\#(SandboxProvider.closedAccount)","acc_name":"Closed","bank_code":"BBL","amount":50,"callback_url":"https://x.example/cb"}"#)
                }
                try await Self.waitUntil(pool, "SELECT count(*) AS n FROM payouts WHERE status IN ('completed', 'failed')", is: 6)
                // Checked while the app runs: it closes the pool when it stops.
                try await Self.checkExports(pool)
            }
        }
    }

    static func checkExports(_ pool: PostgresPool) async throws {
        do {
            // An operator reverses one entry.
            let entry: Int64 = try await pool.query("SELECT min(id) AS id FROM ledger_entries WHERE kind = 'payment.succeeded'").single!.decode("id")
            _ = try await Ledger(pool: pool).reverse(entryID: entry, reason: "test reversal", recordedBy: "operator:test")

            let trial = try await Ledger(pool: pool).trialBalance()
            var names = ExportAccountNames()
            var expected: [String: String] = [:]
            for line in trial.lines where line.balance.minorUnits != 0 {
                expected[names.name(type: line.type.rawValue, book: line.bookCode, code: line.accountCode)] = line.balance.decimalText
            }
            #expect(expected.count >= 8, "a dataset worth checking: \(expected)")

            for format in LedgerExport.Format.allCases {
                let written = Mutex("")
                try await LedgerExport(pool: pool).write(format) { chunk in written.withLock { $0 += chunk } }
                let text = written.withLock { $0 }
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("satang-export-\(UUID().uuidString).\(format.rawValue)")
                try text.write(to: file, atomically: true, encoding: .utf8)
                defer { try? FileManager.default.removeItem(at: file) }
                let computed: [String: String]
                switch format {
                case .beancount:
                    let check = try ChildProcess.currentUser.run("/usr/bin/env", ["bean-check", file.path])
                    #expect(check.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "bean-check: \(check)")
                    computed = try Self.beancountBalances(file.path)
                case .hledger:
                    _ = try ChildProcess.currentUser.run("/usr/bin/env", ["hledger", "-f", file.path, "check", "--strict"])
                    computed = try Self.hledgerBalances(file.path)
                }
                #expect(computed == expected, "\(format): the tool's balances differ from the trial balance")
            }
        }
    }

    static func waitUntil(_ pool: PostgresPool, _ sql: String, is count: Int) async throws {
        for _ in 0..<200 {
            if try await pool.query(sql).single!.decode("n", as: Int.self) >= count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for \(sql) to reach \(count)")
    }

    /// Balances as Beancount computes them (its loader and inventory), account → amount text.
    static func beancountBalances(_ path: String) throws -> [String: String] {
        let script = """
            import sys
            from beancount import loader
            from beancount.core import data, realization
            entries, errors, options = loader.load_file(sys.argv[1])
            if errors: sys.exit("errors: %s" % errors)
            for account in realization.iter_children(realization.realize(entries)):
                for position in account.balance:
                    if position.units.number != 0: print("%s %s" % (account.account, position.units.number))
            """
        let output = try ChildProcess.currentUser.run("/usr/bin/env", ["python3", "-c", script, path])
        return parse(output)
    }

    /// Balances as hledger computes them (`hledger bal`), account → amount text.
    static func hledgerBalances(_ path: String) throws -> [String: String] {
        let csv = try ChildProcess.currentUser.run("/usr/bin/env", ["hledger", "-f", path, "bal", "--flat", "--no-total", "-O", "csv"])
        var balances: [String: String] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard fields.count == 2 else { continue }
            balances[fields[0]] = fields[1].replacingOccurrences(of: " THB", with: "")
        }
        return balances.filter { $0.value != "0" && $0.value != "0.00" }.mapValues(Self.normalised)
    }

    static func parse(_ output: String) -> [String: String] {
        var balances: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { balances[String(parts[0])] = normalised(String(parts[1])) }
        }
        return balances
    }

    /// `1053.9` / `1053.90` / `-0.50` → Satang's `1053.90` form.
    static func normalised(_ text: String) -> String {
        guard let value = Decimal(string: text) else { return text }
        let minor = NSDecimalNumber(decimal: value * 100).int64Value
        return Money.minor(minor).decimalText
    }
}
