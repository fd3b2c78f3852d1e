import Foundation
import Logging
import PostgresClient
import ServiceLifecycle

/// Sends payouts through their bank: claims a batch of `created` (or `waiting`, when due) payouts with
/// `FOR UPDATE SKIP LOCKED`, marks them `in batch` with a lease, calls the bank outside any transaction,
/// then records `processing` → `completed` (settled in the ledger), `failed` (refunded), or `waiting`
/// to retry with backoff. A payout left `in batch` by a crash is sent again when its lease runs out.
public struct PayoutDispatcher: Service {
    let pool: PostgresPool
    let providers: [ProviderCode: any PayoutProvider]
    let logger: Logger
    public var lease: Duration = .seconds(60)
    public var maxAttempts = 5
    public var pollInterval: Duration = .milliseconds(200)
    public var batchSize = 64

    public init(pool: PostgresPool, providers: [ProviderCode: any PayoutProvider], logger: Logger) {
        self.pool = pool
        self.providers = providers
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(idle: pollInterval, batch: batchSize, gather: .zero) { try await dispatchOnce() }
    }

    /// One round; returns how many payouts it handled.
    @discardableResult
    public func dispatchOnce() async throws -> Int {
        let (lease, batchSize) = (self.lease, self.batchSize)
        let claimed: [Payout] = try await pool.transaction { connection in
            let rows = try connection.query(
                """
                SELECT id FROM payouts
                 WHERE status IN ('created', 'waiting', 'in batch') AND next_attempt_at <= now()
                 ORDER BY next_attempt_at LIMIT $1::int8 FOR UPDATE SKIP LOCKED
                """, [.int64(Int64(batchSize))])
            var payouts: [Payout] = []
            for row in rows {
                let id: UUID = try row.decode("id")
                try connection.query(
                    "UPDATE payouts SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2::int8) WHERE id = $1::uuid",
                    [.uuid(id), .int64(lease.components.seconds)])
                // A payout already `in batch` (its sender died mid-call) is sent again as it is.
                if let moved = try PayoutRegistry.move(id, from: [.created, .waiting], to: .inBatch, actor: "payout-dispatcher",
                                                       reason: "sending to the bank", on: connection) {
                    payouts.append(moved)
                } else {
                    payouts.append(try PayoutRegistry.payout(try connection.query("\(PayoutRegistry.select) WHERE o.id = $1::uuid", [.uuid(id)]).single!))
                }
            }
            return payouts
        }
        guard !claimed.isEmpty else { return 0 }
        let results = await withTaskGroup(of: (Payout, Result<PayoutResult, any Error>).self) { group in
            for payout in claimed {
                group.addTask {
                    guard let provider = providers[payout.provider] else {
                        return (payout, .failure(ProviderUnavailable("no payout provider for \(payout.provider.rawValue)")))
                    }
                    do { return (payout, .success(try await provider.send(payout))) } catch { return (payout, .failure(error)) }
                }
            }
            return await group.reduce(into: [(Payout, Result<PayoutResult, any Error>)]()) { $0.append($1) }
        }
        let maxAttempts = self.maxAttempts
        try await pool.transaction { connection in
            for (payout, result) in results {
                let bank = "provider:\(payout.provider.rawValue)"
                switch result {
                case .success(.completed(let reference)):
                    try PayoutRegistry.move(payout.id, from: [.inBatch], to: .processing, actor: bank, reason: "accepted by the bank",
                                            bankReference: reference, on: connection)
                    try PayoutRegistry.move(payout.id, from: [.processing], to: .completed, actor: bank, reason: "sent", on: connection)
                case .success(.refused(let reason)):
                    try PayoutRegistry.move(payout.id, from: [.inBatch], to: .failed, actor: bank, reason: reason, on: connection)
                case .failure(let error):
                    let attempts: Int = try connection.query(
                        "SELECT attempts FROM payouts WHERE id = $1::uuid", [.uuid(payout.id)]).single!.decode("attempts")
                    if attempts >= maxAttempts {
                        try PayoutRegistry.move(payout.id, from: [.inBatch], to: .failed, actor: "payout-dispatcher",
                                                reason: "bank unavailable after \(attempts) attempts", on: connection)
                    } else {
                        try PayoutRegistry.move(payout.id, from: [.inBatch], to: .waiting, actor: "payout-dispatcher",
                                                reason: "retrying: \(error)", on: connection)
                        try connection.query(  // backoff: 1 s, 2 s, 4 s, …
                            "UPDATE payouts SET next_attempt_at = now() + make_interval(secs => $2::int8) WHERE id = $1::uuid",
                            [.uuid(payout.id), .int64(Int64(1 << min(attempts - 1, 10)))])
                    }
                }
            }
        }
        logger.debug("payouts sent", metadata: ["payouts.count": "\(claimed.count)"])
        return claimed.count
    }
}
