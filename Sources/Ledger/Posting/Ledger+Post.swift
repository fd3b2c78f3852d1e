import PostgresClient

extension Ledger {
    /// Posts `entries` in one transaction and says, per entry, whether it was posted, was a duplicate,
    /// or was rejected (which does not affect the others). A single post is a batch of one.
    public func post(_ entries: [JournalEntryRequest]) async throws -> [EntryResult] {
        guard !entries.isEmpty else { return [] }
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await pool.transaction { connection in
                    try BatchPoster(connection: connection).post(entries)
                }
            } catch is BatchPoster.ConcurrentDuplicate where attempt < 5 {
                continue  // another batch posted one of these events meanwhile; the next run sees it as a duplicate
            }
        }
    }

    /// Posts one entry.
    public func post(_ entry: JournalEntryRequest) async throws -> EntryResult {
        try await post([entry])[0]
    }

    /// Posts `entries` inside a transaction the caller already holds, so the ledger entry commits or rolls
    /// back with the caller's own rows (a payment's status change, a payout row, …).
    public static func post(_ entries: [JournalEntryRequest], on connection: PostgresConnection) throws -> [EntryResult] {
        try BatchPoster(connection: connection).post(entries)
    }
}
