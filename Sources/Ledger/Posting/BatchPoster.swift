import Foundation
import PostgresClient

/// Posts a batch of entries inside one transaction, on one connection.
///
/// The steps, and the invariant each protects:
/// 1. Shape checks in memory: a malformed entry is rejected alone.
/// 2. Find entries already posted (same book, kind, reference): they are `duplicate`s.
/// 3. Lock every touched account, sorted by id (`FOR UPDATE`): all posters lock in one global order,
///    so batches never deadlock, and balances read here cannot change until commit.
/// 4. Apply entries in order in memory; an entry that would take a never-negative account below
///    zero is rejected and leaves no trace on the running balances.
/// 5. Write entries, postings (each with the account's running balance and sequence) and each touched
///    account once. The database re-checks balance, non-negativity and ownership at commit.
struct BatchPoster {
    let connection: PostgresConnection

    /// Raised when a concurrent batch posted the same event between steps 3 and 5; the caller runs
    /// the whole batch again, which then sees it as a duplicate.
    struct ConcurrentDuplicate: Error {}

    func post(_ entries: [JournalEntryRequest]) throws -> [EntryResult] {
        var results = [EntryResult?](repeating: nil, count: entries.count)
        for (index, entry) in entries.enumerated() {
            if let rejection = EntryValidation.rejection(for: entry) { results[index] = .rejected(rejection) }
        }
        // Duplicates are found before the locks, to keep the locked stretch short; an event posted by
        // another batch in between makes the insert below skip it, and the batch runs again.
        try markDuplicates(entries, in: &results)
        let accounts = try lockAccounts(for: entries, skipping: results)
        var ledger = AccountBook(accounts: accounts.byKey)
        var toWrite: [(index: Int, lines: [PendingLine])] = []
        for (index, entry) in entries.enumerated() where results[index] == nil {
            switch ledger.apply(entry) {
            case .success(let lines): toWrite.append((index, lines))
            case .failure(let rejection): results[index] = .rejected(rejection)
            }
        }
        try explainUnknownAccounts(entries, results: &results)
        guard !toWrite.isEmpty else { return try resolveTwins(entries, results) }

        let postedAt = ledger.postingTime(clock: accounts.clock)
        let ids = try insertEntries(toWrite.map { entries[$0.index] }, postedAt: postedAt)
        try insertPostings(toWrite, entryIDs: ids, postedAt: postedAt)
        try updateAccounts(ledger.touched, postedAt: postedAt)
        for (position, write) in toWrite.enumerated() {
            let entry = entries[write.index]
            results[write.index] = .posted(
                PostedEntry(
                    id: ids[position], bookID: entry.bookID, kind: entry.kind, reference: entry.reference,
                    postedAt: postedAt,
                    lines: write.lines.map {
                        .init(accountID: $0.account.id, accountCode: $0.account.code, amount: $0.amount,
                              sequence: $0.sequence, balanceAfter: .minor($0.balanceAfter, $0.amount.currency))
                    }))
        }
        return try resolveTwins(entries, results)
    }

    // MARK: Steps

    private struct LockedAccounts {
        var byKey: [AccountKey: LockedAccount]
        var clock: Date
    }

    private func lockAccounts(for entries: [JournalEntryRequest], skipping results: [EntryResult?]) throws -> LockedAccounts {
        var keys = Set<AccountKey>()
        for (index, entry) in entries.enumerated() where results[index] == nil {
            for line in entry.lines {
                keys.insert(AccountKey(bookID: entry.bookID, code: line.accountCode, currency: line.amount.currency.code))
            }
        }
        let ordered = Array(keys)
        let rows = try connection.query(
            """
            SELECT a.id, a.book_id, a.code, a.currency::text AS currency, a.type::text AS type, a.non_negative,
                   a.balance, a.debits, a.credits, a.last_sequence, a.last_posted_at, clock_timestamp() AS clock
              FROM ledger_accounts a
              JOIN unnest($1::int8[], $2::text[], $3::text[]) AS k(book_id, code, currency)
                ON a.book_id = k.book_id AND a.code = k.code AND a.currency = k.currency
             ORDER BY a.id
               FOR UPDATE OF a
            """,
            [.int64Array(ordered.map(\.bookID)), .stringArray(ordered.map(\.code)), .stringArray(ordered.map(\.currency))])
        var byKey: [AccountKey: LockedAccount] = [:]
        var clock = Date.distantPast
        for row in rows {
            let account = LockedAccount(
                id: try row.decode("id"), bookID: try row.decode("book_id"), code: try row.decode("code"),
                currency: try row.decode("currency"), type: AccountType(rawValue: try row.decode("type")) ?? .asset,
                nonNegative: try row.decode("non_negative"), balance: try row.decode("balance"),
                debits: try row.decode("debits"), credits: try row.decode("credits"),
                lastSequence: try row.decode("last_sequence"), lastPostedAt: try row.decode("last_posted_at"))
            byKey[account.key] = account
            clock = max(clock, try row.decode("clock", as: Date.self))
        }
        if rows.isEmpty { clock = Date() }
        return LockedAccounts(byKey: byKey, clock: clock)
    }

    private func markDuplicates(_ entries: [JournalEntryRequest], in results: inout [EntryResult?]) throws {
        let candidates = entries.indices.filter { results[$0] == nil }
        guard !candidates.isEmpty else { return }
        let rows = try connection.query(
            """
            SELECT e.id, e.book_id, e.kind, e.reference, e.posted_at
              FROM ledger_entries e
              JOIN unnest($1::int8[], $2::text[], $3::text[]) AS k(book_id, kind, reference)
                ON e.book_id = k.book_id AND e.kind = k.kind AND e.reference = k.reference
            """,
            [.int64Array(candidates.map { entries[$0].bookID }), .stringArray(candidates.map { entries[$0].kind }),
             .stringArray(candidates.map { entries[$0].reference })])
        var existing: [EventKey: PostedEntry] = [:]
        for row in rows {
            let entry = PostedEntry(
                id: try row.decode("id"), bookID: try row.decode("book_id"), kind: try row.decode("kind"),
                reference: try row.decode("reference"), postedAt: try row.decode("posted_at"), lines: [])
            existing[EventKey(bookID: entry.bookID, kind: entry.kind, reference: entry.reference)] = entry
        }
        var seenInBatch: [EventKey: Int] = [:]
        for index in candidates {
            let key = EventKey(bookID: entries[index].bookID, kind: entries[index].kind, reference: entries[index].reference)
            if let original = existing[key] {
                results[index] = .duplicate(original)
            } else if seenInBatch[key] != nil {
                // The same event earlier in this batch: settled by `resolveTwins` once the first is decided.
                results[index] = .rejected(.invalid(Self.twinMarker))
            } else {
                seenInBatch[key] = index
            }
        }
    }

    static let twinMarker = "the same book, kind and reference appear earlier in this batch"

    /// A later twin of an event in the same batch is a duplicate of the first when that was posted,
    /// and is rejected when the first was.
    private func resolveTwins(_ entries: [JournalEntryRequest], _ results: [EntryResult?]) throws -> [EntryResult] {
        var first: [EventKey: EntryResult] = [:]
        return entries.indices.map { index in
            let entry = entries[index]
            let key = EventKey(bookID: entry.bookID, kind: entry.kind, reference: entry.reference)
            let result = results[index]!
            guard case .rejected(.invalid(Self.twinMarker)) = result else {
                if first[key] == nil { first[key] = result }
                return result
            }
            switch first[key] {
            case .posted(var original)?, .duplicate(var original)?:
                original.lines = []
                return .duplicate(original)
            default:
                return result
            }
        }
    }

    /// Entries rejected for an unknown account whose code exists in another currency get the clearer reason.
    private func explainUnknownAccounts(_ entries: [JournalEntryRequest], results: inout [EntryResult?]) throws {
        let unknown = entries.indices.filter {
            if case .rejected(.unknownAccount) = results[$0] { return true }
            return false
        }
        guard !unknown.isEmpty else { return }
        var books: [Int64] = []
        var codes: [String] = []
        for index in unknown {
            for line in entries[index].lines {
                books.append(entries[index].bookID)
                codes.append(line.accountCode)
            }
        }
        let rows = try connection.query(
            """
            SELECT a.book_id, a.code, a.currency::text AS currency FROM ledger_accounts a
              JOIN unnest($1::int8[], $2::text[]) AS k(book_id, code) ON a.book_id = k.book_id AND a.code = k.code
            """, [.int64Array(books), .stringArray(codes)])
        var currencies: [String: String] = [:]
        for row in rows {
            currencies["\(try row.decode("book_id", as: Int64.self))/\(try row.decode("code", as: String.self))"] =
                try row.decode("currency")
        }
        for index in unknown {
            guard case .rejected(.unknownAccount(let code)) = results[index],
                let line = entries[index].lines.first(where: { $0.accountCode == code }),
                let accountCurrency = currencies["\(entries[index].bookID)/\(code)"]
            else { continue }
            results[index] = .rejected(
                .currencyMismatch(account: code, accountCurrency: accountCurrency, lineCurrency: line.amount.currency.code))
        }
    }

    private func insertEntries(_ entries: [JournalEntryRequest], postedAt: Date) throws -> [Int64] {
        let rows = try connection.query(
            """
            INSERT INTO ledger_entries (book_id, kind, reference, posted_at, line_count, description, metadata,
                                        recorded_by, reverses_entry_id)
            SELECT book_id, kind, reference, $4::timestamptz, line_count, description, metadata::jsonb, recorded_by,
                   NULLIF(reverses, 0)
              FROM unnest($1::int8[], $2::text[], $3::text[], $5::text[], $6::text[], $7::text[], $8::int8[], $9::int8[])
                   WITH ORDINALITY AS e(book_id, kind, reference, description, metadata, recorded_by, reverses, line_count,
                                        position)
             ORDER BY position
            ON CONFLICT ON CONSTRAINT ledger_entries_event_key DO NOTHING
            RETURNING id, book_id, kind, reference
            """,
            [.int64Array(entries.map(\.bookID)), .stringArray(entries.map(\.kind)), .stringArray(entries.map(\.reference)),
             .date(postedAt), .stringArray(entries.map(\.description)), .stringArray(entries.map(\.metadata)),
             .stringArray(entries.map(\.recordedBy)), .int64Array(entries.map { $0.reversesEntryID ?? 0 }),
             .int64Array(entries.map { Int64($0.lines.count) })])
        guard rows.count == entries.count else { throw ConcurrentDuplicate() }
        var ids: [EventKey: Int64] = [:]
        for row in rows {
            ids[EventKey(bookID: try row.decode("book_id"), kind: try row.decode("kind"), reference: try row.decode("reference"))] =
                try row.decode("id")
        }
        return entries.map { ids[EventKey(bookID: $0.bookID, kind: $0.kind, reference: $0.reference)]! }
    }

    private func insertPostings(_ writes: [(index: Int, lines: [PendingLine])], entryIDs: [Int64], postedAt: Date) throws {
        var entryColumn: [Int64] = [], bookColumn: [Int64] = [], accountColumn: [Int64] = []
        var lineColumn: [Int64] = [], lineCountColumn: [Int64] = []
        var currencyColumn: [String] = [], amountColumn: [Int64] = [], sequenceColumn: [Int64] = []
        var balanceColumn: [Int64] = [], debitsColumn: [Int64] = [], creditsColumn: [Int64] = []
        for (position, write) in writes.enumerated() {
            for (number, line) in write.lines.enumerated() {
                lineColumn.append(Int64(number + 1))
                lineCountColumn.append(Int64(write.lines.count))
                entryColumn.append(entryIDs[position])
                bookColumn.append(line.account.bookID)
                accountColumn.append(line.account.id)
                currencyColumn.append(line.account.currency)
                amountColumn.append(line.amount.minorUnits)
                sequenceColumn.append(line.sequence)
                balanceColumn.append(line.balanceAfter)
                debitsColumn.append(line.debitsAfter)
                creditsColumn.append(line.creditsAfter)
            }
        }
        try connection.query(
            """
            INSERT INTO ledger_postings (entry_id, book_id, line_number, line_count, account_id, currency, amount,
                                         account_sequence, balance_after, debits_after, credits_after, posted_at)
            SELECT entry_id, book_id, line_number, line_count, account_id, currency, amount, sequence, balance_after,
                   debits_after, credits_after, $10::timestamptz
              FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::text[], $5::int8[], $6::int8[], $7::int8[], $8::int8[],
                          $9::int8[], $11::int8[], $12::int8[])
                   AS p(entry_id, book_id, account_id, currency, amount, sequence, balance_after, debits_after, credits_after,
                        line_number, line_count)
            """,
            [.int64Array(entryColumn), .int64Array(bookColumn), .int64Array(accountColumn), .stringArray(currencyColumn),
             .int64Array(amountColumn), .int64Array(sequenceColumn), .int64Array(balanceColumn),
             .int64Array(debitsColumn), .int64Array(creditsColumn), .date(postedAt), .int64Array(lineColumn),
             .int64Array(lineCountColumn)])
    }

    private func updateAccounts(_ accounts: [LockedAccount], postedAt: Date) throws {
        try connection.query(
            """
            UPDATE ledger_accounts a
               SET balance = u.balance, debits = u.debits, credits = u.credits,
                   last_sequence = u.last_sequence, last_posted_at = $6::timestamptz
              FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::int8[], $5::int8[])
                   AS u(id, balance, debits, credits, last_sequence)
             WHERE a.id = u.id
            """,
            [.int64Array(accounts.map(\.id)), .int64Array(accounts.map(\.balance)), .int64Array(accounts.map(\.debits)),
             .int64Array(accounts.map(\.credits)), .int64Array(accounts.map(\.lastSequence)),
             .date(postedAt)])
    }
}

/// An account as a batch sees it: identified by book, code and currency.
struct AccountKey: Hashable {
    var bookID: Int64
    var code: String
    var currency: String
}

/// A business event's identity: at most one entry per book, kind and reference.
struct EventKey: Hashable {
    var bookID: Int64
    var kind: String
    var reference: String
}
