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
                INSERT INTO ledger_entries (book_id, kind, reference, posted_at, line_count) VALUES (\(book.id), 'manual', 'x', now(), 2);
                INSERT INTO ledger_postings (entry_id, book_id, line_number, line_count, account_id, currency, amount,
                                             account_sequence, balance_after, debits_after, credits_after, posted_at)
                SELECT currval('ledger_entries_id_seq'), \(book.id), n, 2, a.id, 'THB', amount, 1, amount,
                       greatest(amount, 0), greatest(-amount, 0), now()
                  FROM ledger_accounts a
                  JOIN (VALUES (1, 'provider:KBANK', 500), (2, 'fees', -400)) AS l(n, code, amount) ON l.code = a.code
                 WHERE a.book_id = \(book.id);
                COMMIT;
                """)
            let entries = try await pool.query("SELECT count(*) AS n FROM ledger_entries").single!.decode("n", as: Int.self)
            #expect(entries == 0)
        }
    }

    @Test func anEntryMissingALineCannotCommit() async throws {
        try await withLedger("rulelines") { ledger, pool, _ in
            let book = try await merchantBook(ledger)
            try await expectError(pool, "23514", constraint: "ledger_entry_must_balance", """
                BEGIN;
                INSERT INTO ledger_entries (book_id, kind, reference, posted_at, line_count) VALUES (\(book.id), 'manual', 'x', now(), 2);
                COMMIT;
                """)
        }
    }

    @Test func anEntryOfABookThatDoesNotExistCannotCommit() async throws {
        try await withLedger("rulenobook") { _, pool, _ in
            try await expectError(pool, "23514", constraint: "ledger_entry_must_balance", """
                BEGIN;
                INSERT INTO ledger_entries (book_id, kind, reference, posted_at, line_count) VALUES (424242, 'manual', 'x', now(), 2);
                COMMIT;
                """)
        }
    }

    @Test func noLineCanBeAddedToAPostedEntry() async throws {
        try await withLedger("ruleaddline") { ledger, pool, _ in
            let book = try await merchantBook(ledger)
            let entry = try await postedPayment(ledger, book)
            for (line, constraint) in [(4, "ledger_postings_line_in_entry"), (1, "ledger_postings_line")] {
                try await expectError(pool, line == 4 ? "23514" : "23505", constraint: constraint, """
                    INSERT INTO ledger_postings (entry_id, book_id, line_number, line_count, account_id, currency, amount,
                                                 account_sequence, balance_after, debits_after, credits_after, posted_at)
                    SELECT \(entry), \(book.id), \(line), 3, id, 'THB', 100, 99, 100, 100, 0, now()
                      FROM ledger_accounts WHERE book_id = \(book.id) AND code = 'provider:SCB'
                    """)
            }
            // Claiming another line count does not match the entry.
            try await expectError(pool, "23503", constraint: "ledger_postings_entry", """
                INSERT INTO ledger_postings (entry_id, book_id, line_number, line_count, account_id, currency, amount,
                                             account_sequence, balance_after, debits_after, credits_after, posted_at)
                SELECT \(entry), \(book.id), 4, 4, id, 'THB', 100, 99, 100, 100, 0, now()
                  FROM ledger_accounts WHERE book_id = \(book.id) AND code = 'provider:SCB'
                """)
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
                INSERT INTO ledger_entries (book_id, kind, reference, posted_at, line_count)
                VALUES (\(book.id), 'payment.succeeded', 'pay-1', now(), 2)
                """)
        }
    }

    @Test(arguments: [
        // posting's book, account's book, currency, the foreign key that refuses it
        ("A", "B", "THB", "ledger_postings_account"),  // an account of another book
        ("A", "A", "USD", "ledger_postings_account"),  // the right account, another currency
        ("B", "B", "THB", "ledger_postings_entry"),  // a posting claiming another book than its entry's
    ])
    func aPostingCannotTouchAnotherBooksAccountOrCurrency(
        _ postingBook: String, _ accountBook: String, _ currency: String, _ constraint: String
    ) async throws {
        try await withLedger("ruleowner") { ledger, pool, _ in
            let books = ["A": try await merchantBook(ledger, "A").id, "B": try await merchantBook(ledger, "B").id]
            try await expectError(pool, "23503", constraint: constraint, """
                BEGIN;
                INSERT INTO ledger_entries (book_id, kind, reference, posted_at, line_count)
                VALUES (\(books["A"]!), 'manual', 'own', now(), 2);
                INSERT INTO ledger_postings (entry_id, book_id, line_number, line_count, account_id, currency, amount,
                                             account_sequence, balance_after, debits_after, credits_after, posted_at)
                SELECT currval('ledger_entries_id_seq'), \(books[postingBook]!), 1, 2, id, '\(currency)', 1, 1, 1, 1, 0, now()
                  FROM ledger_accounts WHERE book_id = \(books[accountBook]!) AND code = 'fees';
                COMMIT;
                """)
        }
    }

    @Test func amountsAreWholeMinorUnitsAndNeverZero() async throws {
        try await withLedger("ruleamounts") { ledger, pool, _ in
            let book = try await merchantBook(ledger)
            let entry = try await postedPayment(ledger, book)
            try await expectError(pool, "23514", """
                INSERT INTO ledger_postings (entry_id, book_id, line_number, line_count, account_id, currency, amount,
                                             account_sequence, balance_after, debits_after, credits_after, posted_at)
                SELECT \(entry), \(book.id), 3, 3, id, 'THB', 0, 99, 0, 0, 0, now()
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
                INSERT INTO ledger_entries (book_id, kind, reference, posted_at, line_count, reverses_entry_id)
                VALUES (\(book.id), 'reversal', 'r1', now(), 3, \(entry)), (\(book.id), 'reversal', 'r2', now(), 3, \(entry))
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
