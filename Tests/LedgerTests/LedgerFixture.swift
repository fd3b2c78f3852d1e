import Foundation
import Ledger
import PostgresClient
import SatangTestSupport

/// A migrated database of its own and a ledger on it.
func withLedger<T>(_ label: String, poolSize: Int = 4, _ body: (Ledger, PostgresPool, TestDatabase) async throws -> T)
    async throws -> T
{
    try await withMigratedTestDatabase(label, poolSize: poolSize) { database, pool in
        return try await body(Ledger(pool: pool), pool, database)
    }
}

/// A merchant book with the standard chart and KBANK/SCB provider accounts.
func merchantBook(_ ledger: Ledger, _ code: String = "M1") async throws -> Book {
    let book = try await ledger.openBook(code: code, name: "Merchant \(code)")
    try await ledger.openMerchantChart(book: book.id, providers: ["KBANK", "SCB"])
    return book
}

func thb(_ text: String) -> Money { try! Money.parse(text, requirePositive: false) }
