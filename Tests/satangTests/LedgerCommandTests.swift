import Foundation
import Ledger
import PostgresClient
import SatangTestSupport
import Testing

/// `satang ledger trial-balance` and `statement` print what the ledger holds, as table, CSV and JSON.
@Suite struct LedgerCommandTests {
    private func seededDatabase(_ body: (TestDatabase) async throws -> Void) async throws {
        try await withMigratedTestDatabase("ledgercli") { database, pool in
            let ledger = Ledger(pool: pool)
            let book = try await ledger.openBook(code: "SHOP1", name: "Shop, \"One\"")
            try await ledger.openMerchantChart(book: book.id, providers: ["KBANK"])
            _ = try await ledger.post([
                try MoneyMovement.paymentSucceeded(
                    book: book.id, paymentID: "p1", provider: "KBANK", gross: .minor(100_000), fee: .minor(1_500)),
                try MoneyMovement.payoutReserved(book: book.id, payoutID: "w1", amount: .minor(20_000)),
            ])
            try await body(database)
        }
    }

    @Test func trialBalanceAsCSVParsesBackToTheLedgersFigures() async throws {
        try await seededDatabase { database in
            let (status, output) = try await SatangProcess.run(
                ["ledger", "trial-balance", "--book", "SHOP1", "--format", "csv", "--database-url", database.url])
            #expect(status == 0, "\(output)")
            #expect(output.hasSuffix("\r\n") && !output.hasSuffix("\r\n\n"))
            let rows = output.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            #expect(rows.first == ["book", "account", "type", "currency", "debits", "credits", "balance"])
            try #require(rows.allSatisfy { $0.count == 7 }, "\(output)")
            let byAccount = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[1], $0) })
            #expect(byAccount["merchant:available"]?[4...6] == ["200.00", "985.00", "-785.00"])
            #expect(byAccount["provider:KBANK"]?[4...6] == ["1000.00", "0.00", "1000.00"])
            #expect(rows.last?[0] == "TOTAL")
            #expect(rows.last?[4...6] == ["1200.00", "1200.00", "0.00"])
        }
    }

    @Test func tableOutputLinesUp() async throws {
        try await seededDatabase { database in
            let (status, output) = try await SatangProcess.run(
                ["ledger", "trial-balance", "--database-url", database.url])
            #expect(status == 0, "\(output)")
            let lines = output.split(separator: "\n").filter { !$0.hasPrefix("{") }
            // Right-aligned amount columns end at the same place on every line.
            let widths = Set(lines.map(\.count))
            #expect(widths.count == 1, "\(output)")
        }
    }

    @Test func statementShowsOpeningLinesAndClosing() async throws {
        try await seededDatabase { database in
            let (status, output) = try await SatangProcess.run(
                ["ledger", "statement", "--book", "SHOP1", "--account", "merchant:available", "--format", "json",
                 "--database-url", database.url])
            #expect(status == 0, "\(output)")
            let json = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
            #expect(json?["openingBalance"] as? String == "0.00")
            #expect(json?["closingBalance"] as? String == "785.00")
            let lines = json?["lines"] as? [[String: Any]]
            #expect(lines?.map { $0["balance"] as? String } == ["985.00", "785.00"])
            #expect(lines?.map { $0["kind"] as? String } == ["payment.succeeded", "payout.reserved"])
        }
    }

    @Test func anUnknownBookIsAClearError() async throws {
        try await seededDatabase { database in
            let (status, output) = try await SatangProcess.run(
                ["ledger", "trial-balance", "--book", "NOPE", "--database-url", database.url])
            #expect(status != 0)
            #expect(output.contains("there is no book NOPE"), "\(output)")
        }
    }
}
