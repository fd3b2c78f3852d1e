import Foundation
import Ledger
import PostgresClient
import SatangTestSupport
import Testing

/// Each rule the database enforces, proven by trying to break it with raw SQL and expecting the specific error.
@Suite struct LedgerSchemaRuleTests {
    /// A posted payment to break things around: entry id, and the ids of its accounts.
    private func postedPayment(_ ledger: Ledger, _ book: Book) async throws -> Int64 {
        let entry = try MoneyMovement.paymentSucceeded(
            book: book.id, paymentID: "pay-1", provider: "KBANK", gross: thb("1000.00"), fee: thb("15.00"))
        return try #require(try await ledger.post(entry).postedEntry).id
    }

    private func expectError(_ pool: PostgresPool, _ sqlState: String, constraint: String? = nil, _ sql: String)
        async throws
    {
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try $0.executeScript(sql) }
        }
        #expect(error?.sqlState == sqlState, "\(String(describing: error))")
        if let constraint { #expect(error?.constraint == constraint, "\(String(describing: error))") }
    }

    @Test func anUnbalancedEntryCannotCommit() async throws {
        try await withLedger("rulebalance") { ledger, pool, _ in
            let book = try await merchantBook(ledger)
            try await expectError(pool, "23514", constraint: "ledger_entry_must_balance", """
                BEGIN;
                INSERT INTO ledger_entries (book_id, kind, reference, posted_at) VALUES (\(book.id), 'manual', 'x', now());
                INSERT INTO ledger_postings (entry_id, book_id, account_id, currency, amount, account_sequence,
                                             balance_after, debits_after, credits_after, posted_at)
                SELECT currval('ledger_entries_id_seq'), \(book.id), id, 'THB', 500, 1, 500, 500, 0, now()
                  FROM ledger_accounts WHERE book_id = \(book.id) AND code = 'provider:KBANK';
                COMMIT;
                """)
            let entries = try await pool.query("SELECT count(*) AS n FROM ledger_entries").single!.decode("n", as: Int.self)
            #expect(entries == 0)
        }
    }

    @Test(arguments: [
        "UPDATE ledger_entries SET reference = 'changed'",
        "DELETE FROM ledger_entries",
        "TRUNCATE ledger_entries CASCADE",
        "UPDATE ledger_postings SET amount = amount * 2",
        "DELETE FROM ledger_postings",
        "TRUNCATE ledger_postings",
        "TRUNCATE ledger_books CASCADE",
    ])
    func historyCannotBeChangedDeletedOrTruncated(_ sql: String) async throws {
        try await withLedger("ruleimmutable") { ledger, pool, _ in
            let book = try await merchantBook(ledger)
            _ = try await postedPayment(ledger, book)
            try await expectError(pool, "23001", sql)
            let postings = try await pool.query("SELECT count(*) AS n FROM ledger_postings").single!.decode("n", as: Int.self)
            #expect(postings == 3)
        }
    }

    @Test func aNonNegativeAccountNeverGoesBelowZero() async throws {
        try await withLedger("rulenonneg") { ledger, pool, _ in
            let book = try await merchantBook(ledger)
            _ = try await postedPayment(ledger, book)
            // merchant:available is a liability: its normal (credit) balance is -balance; 985.00 is owed.
            try await expectError(pool, "23514", constraint: "ledger_accounts_non_negative", """
                UPDATE ledger_accounts SET balance = 1, debits = credits + 1
                 WHERE book_id = \(book.id) AND code = 'merchant:available'
                """)
            try await expectError(pool, "23514", constraint: "ledger_accounts_balance_is_totals", """
                UPDATE ledger_accounts SET balance = balance - 100 WHERE book_id = \(book.id) AND code = 'fees'
                """)
        }
    }

    @Test func oneBusinessEventIsPostedAtMostOnce() async throws {
        try await withLedger("ruleonce") { ledger, pool, _ in
            let book = try await merchantBook(ledger)
            _ = try await postedPayment(ledger, book)
            try await expectError(pool, "23505", constraint: "ledger_entries_event_key", """
                INSERT INTO ledger_entries (book_id, kind, reference, posted_at)
                VALUES (\(book.id), 'payment.succeeded', 'pay-1', now())
                """)
        }
    }

    @Test func aPostingCannotTouchAnotherBooksAccountOrCurrency() async throws {
        try await withLedger("ruleowner") { ledger, pool, _ in
            let book = try await merchantBook(ledger, "A")
            let other = try await merchantBook(ledger, "B")
            let entry = try await postedPayment(ledger, book)
            try await expectError(pool, "23503", constraint: "ledger_postings_account", """
                INSERT INTO ledger_postings (entry_id, book_id, account_id, currency, amount, account_sequence,
                                             balance_after, debits_after, credits_after, posted_at)
                SELECT \(entry), \(book.id), id, 'THB', 1, 99, 1, 1, 0, now()
                  FROM ledger_accounts WHERE book_id = \(other.id) AND code = 'fees'
                """)
            try await expectError(pool, "23503", constraint: "ledger_postings_account", """
                INSERT INTO ledger_postings (entry_id, book_id, account_id, currency, amount, account_sequence,
                                             balance_after, debits_after, credits_after, posted_at)
                SELECT \(entry), \(book.id), id, 'USD', 1, 99, 1, 1, 0, now()
                  FROM ledger_accounts WHERE book_id = \(book.id) AND code = 'fees'
                """)
            try await expectError(pool, "23503", constraint: "ledger_postings_entry", """
                INSERT INTO ledger_postings (entry_id, book_id, account_id, currency, amount, account_sequence,
                                             balance_after, debits_after, credits_after, posted_at)
                SELECT \(entry), \(other.id), id, 'THB', 1, 99, 1, 1, 0, now()
                  FROM ledger_accounts WHERE book_id = \(other.id) AND code = 'fees'
                """)
        }
    }

    @Test func amountsAreWholeMinorUnitsAndNeverZero() async throws {
        try await withLedger("ruleamounts") { ledger, pool, _ in
            let book = try await merchantBook(ledger)
            let entry = try await postedPayment(ledger, book)
            try await expectError(pool, "23514", """
                INSERT INTO ledger_postings (entry_id, book_id, account_id, currency, amount, account_sequence,
                                             balance_after, debits_after, credits_after, posted_at)
                SELECT \(entry), \(book.id), id, 'THB', 0, 99, 0, 0, 0, now()
                  FROM ledger_accounts WHERE book_id = \(book.id) AND code = 'fees'
                """)
            let types = try await pool.query(
                """
                SELECT data_type FROM information_schema.columns
                 WHERE table_name = 'ledger_postings' AND column_name IN ('amount', 'balance_after')
                """)
            #expect(try types.map { try $0.decode("data_type", as: String.self) } == ["bigint", "bigint"])
        }
    }

    @Test func anEntryIsReversedAtMostOnce() async throws {
        try await withLedger("rulereverse") { ledger, pool, _ in
            let book = try await merchantBook(ledger)
            let entry = try await postedPayment(ledger, book)
            try await expectError(pool, "23505", constraint: "ledger_entries_reverses_once", """
                INSERT INTO ledger_entries (book_id, kind, reference, posted_at, reverses_entry_id)
                VALUES (\(book.id), 'reversal', 'r1', now(), \(entry)), (\(book.id), 'reversal', 'r2', now(), \(entry))
                """)
        }
    }

    @Test func anAccountKeepsItsIdentity() async throws {
        try await withLedger("ruleidentity") { ledger, pool, _ in
            let book = try await merchantBook(ledger)
            try await expectError(pool, "23000", """
                UPDATE ledger_accounts SET currency = 'USD' WHERE book_id = \(book.id) AND code = 'fees'
                """)
        }
    }
}
