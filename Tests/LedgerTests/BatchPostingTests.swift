import Foundation
import Ledger
import PostgresClient
import SatangTestSupport
import Testing

/// Batches post each entry once: posted, duplicate or rejected, with running balances on every line.
@Suite struct BatchPostingTests {
    @Test func aBatchMixesPostedDuplicateAndRejectedEntries() async throws {
        try await withLedger("batchmix") { ledger, pool, _ in
            let book = try await merchantBook(ledger)
            let first = try MoneyMovement.paymentSucceeded(
                book: book.id, paymentID: "p1", provider: "KBANK", gross: thb("1000.00"), fee: thb("15.00"))
            #expect(try await ledger.post(first).postedEntry != nil)

            let second = try MoneyMovement.paymentSucceeded(
                book: book.id, paymentID: "p2", provider: "SCB", gross: thb("200.00"), fee: thb("3.00"))
            let tooBig = try MoneyMovement.payoutReserved(book: book.id, payoutID: "w1", amount: thb("5000.00"))
            let unknown = JournalEntryRequest(
                bookID: book.id, kind: "manual", reference: "m1",
                lines: [.debit("provider:BBL", thb("1.00")), .credit(AccountCode.fees, thb("1.00"))])
            let unbalanced = JournalEntryRequest(
                bookID: book.id, kind: "manual", reference: "m2",
                lines: [.debit("provider:KBANK", thb("1.00")), .credit(AccountCode.fees, thb("0.99"))])
            let wrongCurrency = JournalEntryRequest(
                bookID: book.id, kind: "manual", reference: "m3",
                lines: [.debit("provider:KBANK", .minor(100, Currency(code: "USD")!)),
                        .credit(AccountCode.fees, .minor(100, Currency(code: "USD")!))])
            let fits = try MoneyMovement.payoutReserved(book: book.id, payoutID: "w2", amount: thb("500.00"))
            let twin = try MoneyMovement.paymentSucceeded(
                book: book.id, paymentID: "p2", provider: "SCB", gross: thb("200.00"), fee: thb("3.00"))

            let results = try await ledger.post([first, second, tooBig, unknown, unbalanced, wrongCurrency, fits, twin])
            guard case .duplicate(let original) = results[0] else { Issue.record("\(results[0])"); return }
            #expect(original.reference == "p1")
            let posted = try #require(results[1].postedEntry)
            #expect(results[2].rejection == .insufficientFunds(
                account: AccountCode.merchantAvailable, available: thb("1182.00"), requested: thb("5000.00")))
            #expect(results[3].rejection == .unknownAccount("provider:BBL"))
            #expect(results[4].rejection == .unbalanced(currency: "THB", difference: 1))
            #expect(results[5].rejection == .currencyMismatch(account: "provider:KBANK", accountCurrency: "THB", lineCurrency: "USD"))
            #expect(results[6].postedEntry != nil, "a rejected entry does not fail the others")
            guard case .duplicate(let twinOriginal) = results[7] else { Issue.record("\(results[7])"); return }
            #expect(twinOriginal.id == posted.id)

            // Exactly three entries exist: p1, p2 and w2.
            let count: Int = try await pool.query("SELECT count(*) AS n FROM ledger_entries").single!.decode("n")
            #expect(count == 3)
            let available = try await ledger.account(book: book.id, code: AccountCode.merchantAvailable)
            #expect(available.normalBalance == thb("682.00"))  // 985 + 197 - 500
            let inFlight = try await ledger.account(book: book.id, code: AccountCode.payoutsInFlight)
            #expect(inFlight.normalBalance == thb("500.00"))
        }
    }

    @Test func everyLineCarriesTheRunningBalanceAndSequence() async throws {
        try await withLedger("batchrunning") { ledger, _, _ in
            let book = try await merchantBook(ledger)
            let payments = try (1...5).map { index in
                try MoneyMovement.paymentSucceeded(
                    book: book.id, paymentID: "p\(index)", provider: "KBANK", gross: thb("100.00"), fee: thb("1.50"))
            }
            let results = try await ledger.post(payments)
            let availableLines = results.compactMap(\.postedEntry).flatMap(\.lines).filter { $0.accountCode == AccountCode.merchantAvailable }
            #expect(availableLines.map(\.sequence) == [1, 2, 3, 4, 5])
            #expect(availableLines.map(\.balanceAfter.minorUnits) == [-9_850, -19_700, -29_550, -39_400, -49_250])
            let statement = try await ledger.statement(of: try await ledger.account(book: book.id, code: AccountCode.merchantAvailable))
            #expect(statement.lines.map(\.balanceAfter.minorUnits) == [-9_850, -19_700, -29_550, -39_400, -49_250])
        }
    }

    @Test func namedMovementsPostTheArchitectureTable() async throws {
        try await withLedger("movements") { ledger, _, _ in
            let book = try await merchantBook(ledger)
            let results = try await ledger.post([
                try MoneyMovement.paymentSucceeded(book: book.id, paymentID: "d1", provider: "KBANK", gross: thb("1000.00"), fee: thb("15.00")),
                try MoneyMovement.payoutReserved(book: book.id, payoutID: "w1", amount: thb("500.00")),
                try MoneyMovement.payoutCompleted(book: book.id, payoutID: "w1", provider: "SCB", amount: thb("500.00"), fee: thb("15.00")),
                try MoneyMovement.payoutReserved(book: book.id, payoutID: "w2", amount: thb("100.00")),
                try MoneyMovement.payoutRefunded(book: book.id, payoutID: "w2", amount: thb("100.00"), reason: "cancelled"),
            ])
            #expect(results.allSatisfy { $0.postedEntry != nil }, "\(results)")
            func normal(_ code: String) async throws -> String {
                try await ledger.account(book: book.id, code: code).normalBalance.decimalText
            }
            #expect(try await normal(AccountCode.provider("KBANK")) == "1000.00")
            #expect(try await normal(AccountCode.provider("SCB")) == "-485.00")
            #expect(try await normal(AccountCode.merchantAvailable) == "485.00")
            #expect(try await normal(AccountCode.payoutsInFlight) == "0.00")
            #expect(try await normal(AccountCode.fees) == "30.00")
            let trial = try await ledger.trialBalance(book: book.id)
            #expect(trial.totals.map(\.balance.minorUnits) == [0])
        }
    }

    @Test func openingTheChartTwiceIsHarmless() async throws {
        try await withLedger("chart") { ledger, pool, _ in
            let book = try await merchantBook(ledger)
            let again = try await ledger.openBook(code: "M1", name: "another name")
            #expect(again.id == book.id)
            let accounts = try await ledger.openMerchantChart(book: book.id, providers: ["KBANK", "SCB", "BBL"])
            #expect(accounts.count == 6)
            let count: Int = try await pool.query("SELECT count(*) AS n FROM ledger_accounts").single!.decode("n")
            #expect(count == 6)
            #expect(accounts.first { $0.code == AccountCode.merchantAvailable }?.nonNegative == true)
            #expect(accounts.first { $0.code == AccountCode.payoutsInFlight }?.nonNegative == true)
        }
    }
}
