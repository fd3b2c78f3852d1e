/// A bank that sends payouts: the payout dispatcher hands it each payout once it is `in batch`.
public protocol PayoutProvider: Sendable {
    /// Sends the payout's transfer amount to its account. Must be safe to call again for the same payout
    /// (a dispatcher that crashed mid-call sends again), so providers deduplicate by `payout.reference`.
    /// Throwing means a technical failure (retried, the payout `waiting`); `.refused` is final.
    func send(_ payout: Payout) async throws -> PayoutResult
}

/// A bank's answer to a payout.
public enum PayoutResult: Sendable, Equatable {
    /// The money was sent; `bankReference` is the bank's own id (seed 001's `bank_ref`).
    case completed(bankReference: String)
    /// Refused for a reason the merchant can read (e.g. the account is closed).
    case refused(reason: String)
}
