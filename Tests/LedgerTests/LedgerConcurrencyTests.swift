import Foundation
import Ledger
import PostgresClient
import SatangTestSupport
import Testing

/// Many posters at once, one hot book and a thousand quiet ones, payouts racing for the same balance:
/// afterwards every invariant of the ledger holds exactly.
@Suite struct LedgerConcurrencyTests {
    @Test func sixteenPostersKeepEveryInvariant() async throws {
        try await withLedger("concurrency", poolSize: 16) { ledger, pool, _ in
            let hot = try await merchantBook(ledger, "HOT")
            let books = try await ledger.openMerchantBooks(codes: (1...1000).map { "Q\($0)" }, providers: ["KBANK", "SCB"])
                .map(\.id)
            #expect(books.count == 1000)
            let quietBooks = books
            let postedCount = Locked(0)
            let insufficient = Locked(0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for poster in 0..<16 {
                    group.addTask {
                        var generator = SplitMix(seed: UInt64(poster + 1))
                        var sent = 0
                        let quota = 5_000 / 16 + (poster < 5_000 % 16 ? 1 : 0)  // 5,000 entries in all
                        while sent < quota {
                            let batchSize = min(Int(generator.next() % 8) + 1, quota - sent)
                            var batch: [JournalEntryRequest] = []
                            for item in 0..<batchSize {
                                let id = "\(poster)-\(sent + item)"
                                let roll = generator.next() % 10
                                let onHot = generator.next() % 2 == 0
                                let book = onHot ? hot.id : quietBooks[Int(generator.next() % UInt64(quietBooks.count))]
                                let amount = Money.minor(Int64(generator.next() % 100_000) + 100)
                                if roll < 6 {
                                    batch.append(try MoneyMovement.paymentSucceeded(
                                        book: book, paymentID: id, provider: roll % 2 == 0 ? "KBANK" : "SCB",
                                        gross: amount, fee: .minor(amount.minorUnits * 15 / 1000)))
                                } else {
                                    // Payouts race for the same available balance; some must be refused.
                                    batch.append(try MoneyMovement.payoutReserved(book: book, payoutID: id, amount: amount))
                                }
                            }
                            let results = try await ledger.post(batch)
                            postedCount.withLock { $0 += results.filter { $0.postedEntry != nil }.count }
                            insufficient.withLock {
                                $0 += results.filter {
                                    if case .rejected(.insufficientFunds) = $0 { return true }
                                    return false
                                }.count
                            }
                            sent += batchSize
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(insufficient.value > 0, "payouts must have raced past the balance at least once")

            let checks = try await LedgerInvariants.check(pool)
            #expect(checks.entries == postedCount.value)
            #expect(checks.unbalancedEntries == 0)
            #expect(checks.driftedAccounts == 0)
            #expect(checks.negativeAccounts == 0)
            #expect(checks.brokenChains == 0)
            #expect(checks.total == 0)
            let trial = try await ledger.trialBalance()
            #expect(trial.totals.allSatisfy { $0.balance.minorUnits == 0 && $0.debits == $0.credits })
        }
    }
}

/// A small seeded generator, so a failing run can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
