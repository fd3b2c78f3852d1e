import Foundation
import Ledger
import PostgresClient
import SatangTestSupport
import Testing

/// Reversals mirror an entry once; balances, statements and trial balances read what was posted.
@Suite struct ReversalAndReadTests {
    @Test func aReversalMirrorsTheEntryOnce() async throws {
        try await withLedger("reverse") { ledger, _, _ in
            let book = try await merchantBook(ledger)
            let payment = try #require(try await ledger.post(
                MoneyMovement.paymentSucceeded(book: book.id, paymentID: "p1", provider: "KBANK", gross: thb("100.00"), fee: thb("2.00"))
            ).postedEntry)
            let reversal = try #require(try await ledger.reverse(entryID: payment.id, reason: "duplicate bank report").postedEntry)
            #expect(reversal.kind == "reversal")
            #expect(Set(reversal.lines.map(\.amount.minorUnits)) == Set(payment.lines.map { -$0.amount.minorUnits }))
            guard case .duplicate(let again) = try await ledger.reverse(entryID: payment.id, reason: "again") else {
                Issue.record("a second reversal must not post")
                return
            }
            #expect(again.id == reversal.id)
            for code in [AccountCode.merchantAvailable, AccountCode.fees, AccountCode.provider("KBANK")] {
                #expect(try await ledger.account(book: book.id, code: code).balance.minorUnits == 0)
            }
            let statement = try await ledger.statement(of: try await ledger.account(book: book.id, code: AccountCode.fees))
            #expect(statement.lines.last?.description == "duplicate bank report")
            await #expect(throws: LedgerError.self) { try await ledger.reverse(entryID: 999_999, reason: "x") }
        }
    }

    @Test func aReversalThatWouldOverdrawIsRejected() async throws {
        try await withLedger("reverseoverdraw") { ledger, _, _ in
            let book = try await merchantBook(ledger)
            let payment = try #require(try await ledger.post(
                MoneyMovement.paymentSucceeded(book: book.id, paymentID: "p1", provider: "KBANK", gross: thb("100.00"), fee: thb("0.00"))
            ).postedEntry)
            _ = try #require(try await ledger.post(MoneyMovement.payoutReserved(book: book.id, payoutID: "w1", amount: thb("60.00"))).postedEntry)
            let result = try await ledger.reverse(entryID: payment.id, reason: "bank clawback")
            #expect(result.rejection == .insufficientFunds(account: AccountCode.merchantAvailable, available: thb("40.00"), requested: thb("100.00")))
        }
    }

    @Test func balancesAsOfAMomentAndStatementsAcrossPages() async throws {
        try await withLedger("reads") { ledger, _, _ in
            let book = try await merchantBook(ledger)
            var moments: [Date] = []
            for index in 1...25 {
                _ = try await ledger.post(MoneyMovement.paymentSucceeded(
                    book: book.id, paymentID: "p\(index)", provider: "KBANK", gross: thb("10.00"), fee: thb("0.00")))
                moments.append(Date())
                try await Task.sleep(for: .milliseconds(2))
            }
            let available = try await ledger.account(book: book.id, code: AccountCode.merchantAvailable)
            #expect(try await ledger.balance(of: available).minorUnits == -25_000)
            #expect(try await ledger.balance(of: available, asOf: moments[9]).minorUnits == -10_000)
            #expect(try await ledger.balance(of: available, asOf: Date(timeIntervalSince1970: 0)).minorUnits == 0)

            // The period holds payments 6…20; pages of 4 walk it without gaps or repeats.
            var cursor: String?
            var seen: [Int64] = []
            var pages = 0
            repeat {
                let page = try await ledger.statement(of: available, from: moments[4], to: moments[19], cursor: cursor, limit: 4)
                #expect(page.openingBalance.minorUnits == -5_000)
                #expect(page.closingBalance.minorUnits == -20_000)
                seen += page.lines.map(\.sequence)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil
            #expect(seen == Array(6...20).map(Int64.init))
            #expect(pages == 4)
            await #expect(throws: LedgerError.self) { try await ledger.statement(of: available, cursor: "garbage") }
        }
    }

    @Test func trialBalancesNetToZeroNowAndAsOf() async throws {
        try await withLedger("trial") { ledger, _, _ in
            let first = try await merchantBook(ledger, "A")
            let second = try await merchantBook(ledger, "B")
            _ = try await ledger.post([
                try MoneyMovement.paymentSucceeded(book: first.id, paymentID: "p1", provider: "KBANK", gross: thb("1000.00"), fee: thb("15.00")),
                try MoneyMovement.paymentSucceeded(book: second.id, paymentID: "p1", provider: "SCB", gross: thb("50.00"), fee: thb("1.00")),
            ])
            let middle = Date()
            try await Task.sleep(for: .milliseconds(5))
            _ = try await ledger.post(try MoneyMovement.payoutReserved(book: first.id, payoutID: "w1", amount: thb("100.00")))
            let all = try await ledger.trialBalance()
            #expect(all.lines.count == 10)
            #expect(all.totals.count == 1)
            #expect(all.totals[0].balance.minorUnits == 0)
            #expect(all.totals[0].debits.decimalText == "1150.00")
            let one = try await ledger.trialBalance(book: first.id, asOf: middle)
            #expect(Set(one.lines.map(\.bookCode)) == ["A"])
            #expect(one.lines.first { $0.accountCode == AccountCode.payoutsInFlight }?.credits.minorUnits == 0)
            #expect(one.totals[0].debits.decimalText == "1000.00")
            #expect(one.totals[0].balance.minorUnits == 0)
        }
    }
}
