import PostgresClient

/// The ledger's invariants, recomputed from the postings by plain SQL (not by the code under test).
public struct LedgerInvariants: Sendable {
    public var entries: Int
    /// Entries whose postings do not sum to zero per currency.
    public var unbalancedEntries: Int
    /// Accounts whose stored balance, last running balance or sequence disagrees with their postings.
    public var driftedAccounts: Int
    /// Non-negative accounts on the wrong side of zero.
    public var negativeAccounts: Int
    /// Postings whose running balance does not follow from the previous one.
    public var brokenChains: Int
    /// The sum of every account's balance: zero in a double-entry ledger.
    public var total: Int64

    public var hold: Bool {
        unbalancedEntries == 0 && driftedAccounts == 0 && negativeAccounts == 0 && brokenChains == 0 && total == 0
    }

    public static func check(_ pool: PostgresPool) async throws -> LedgerInvariants {
        let row = try await pool.query(
            """
            SELECT
              (SELECT count(*) FROM ledger_entries) AS entries,
              (SELECT count(*) FROM (SELECT entry_id FROM ledger_postings GROUP BY entry_id, currency
                                      HAVING sum(amount) <> 0) AS u) AS unbalanced_entries,
              (SELECT count(*) FROM ledger_accounts a
                WHERE a.balance <> coalesce((SELECT sum(amount) FROM ledger_postings p WHERE p.account_id = a.id), 0)
                   OR a.balance <> coalesce((SELECT balance_after FROM ledger_postings p WHERE p.account_id = a.id
                                              ORDER BY account_sequence DESC LIMIT 1), 0)
                   OR a.last_sequence <> (SELECT count(*) FROM ledger_postings p WHERE p.account_id = a.id)
              ) AS drifted_accounts,
              (SELECT count(*) FROM ledger_accounts WHERE non_negative AND
                    ((type IN ('asset','expense') AND balance < 0) OR (type NOT IN ('asset','expense') AND balance > 0))
              ) AS negative_accounts,
              (SELECT count(*) FROM ledger_postings p1 JOIN ledger_postings p2
                   ON p2.account_id = p1.account_id AND p2.account_sequence = p1.account_sequence + 1
                WHERE p2.balance_after <> p1.balance_after + p2.amount OR p2.posted_at < p1.posted_at
              ) AS broken_chains,
              (SELECT coalesce(sum(balance), 0) FROM ledger_accounts) AS total
            """
        ).single!
        return LedgerInvariants(
            entries: try row.decode("entries"), unbalancedEntries: try row.decode("unbalanced_entries"),
            driftedAccounts: try row.decode("drifted_accounts"), negativeAccounts: try row.decode("negative_accounts"),
            brokenChains: try row.decode("broken_chains"), total: try row.decode("total"))
    }
}
