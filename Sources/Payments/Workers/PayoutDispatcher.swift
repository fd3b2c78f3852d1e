import Foundation
import Ledger
import Logging
import PostgresClient
import ServiceLifecycle

/// Sends payouts through their bank: claims a batch of `created` (or `waiting`, when due) payouts with
/// `FOR UPDATE SKIP LOCKED`, marks them `in batch` with a lease, calls the bank outside any transaction,
/// then records `processing` → `completed` (settled in the ledger), `failed` (the bank refused; refunded),
/// or `waiting` to retry with backoff. A payout left `in batch` by a crash is sent again when its lease
/// runs out; banks deduplicate by the payout's reference.
public struct PayoutDispatcher: Service {
    let pool: PostgresPool
    let providers: [ProviderCode: any PayoutProvider]
    let logger: Logger
    public var lease: Duration = .seconds(60)
    /// After this many unclear attempts the operators get an exception; the payout is still retried.
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
            // Claim a batch and start an attempt on each, with its lease, in one statement.
            let rows = try connection.query(
                """
                UPDATE payouts o SET attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => $2::int8)
                  FROM (SELECT id FROM payouts
                         WHERE status IN ('created', 'waiting', 'in batch') AND next_attempt_at <= now()
                         ORDER BY next_attempt_at LIMIT $1::int8 FOR UPDATE SKIP LOCKED) AS due
                 WHERE o.id = due.id
                RETURNING o.id, o.status::text AS status
                """, [.int64(Int64(batchSize)), .int64(lease.components.seconds)])
            let ids: [UUID] = try rows.map { try $0.decode("id") }
            // A payout already `in batch` (its sender died mid-call) is sent again as it is.
            for row in rows where try row.decode("status", as: String.self) != PayoutStatus.inBatch.rawValue {
                try PayoutRegistry.move(try row.decode("id"), from: [.created, .waiting], to: .inBatch, actor: "payout-dispatcher",
                                        reason: "sending to the bank", on: connection)
            }
            guard !ids.isEmpty else { return [] }
            return try connection.query("\(PayoutRegistry.select) WHERE o.id = ANY ($1::text[]::uuid[])", [.stringArray(ids.map(\.lowercasedText))])
                .map(PayoutRegistry.payout)
        }
        guard !claimed.isEmpty else { return 0 }
        let callTimeout = lease / 2
        let results = await withTaskGroup(of: (Payout, Result<PayoutResult, any Error>).self) { group in
            for payout in claimed {
                group.addTask {
                    guard let provider = providers[payout.provider] else {
                        return (payout, .failure(ProviderUnavailable("no payout provider for \(payout.provider.rawValue)")))
                    }
                    // Bounded well inside the lease, so no other round sends it while this call may still answer.
                    return (payout, await Self.send(payout, through: provider, within: callTimeout))
                }
            }
            return await group.reduce(into: [(Payout, Result<PayoutResult, any Error>)]()) { $0.append($1) }
        }
        // Each payout in its own transaction: one that cannot be recorded does not hold back the others.
        for (payout, result) in results {
            do {
                try await pool.transaction { connection in try record(payout, result, on: connection) }
            } catch {
                logger.error("a payout's answer could not be recorded; the operators get an exception and it is tried again later",
                             metadata: ["payout.reference": "\(payout.reference)", "error.type": "\(type(of: error))"])
                await recordUnrecordedAnswer(payout, result, error)
            }
        }
        logger.debug("payouts sent", metadata: ["payouts.count": "\(claimed.count)"])
        return claimed.count
    }

    /// Records the bank's answer. A "sent" answer always wins (the money left), even after an earlier
    /// attempt failed technically. Technical failures are retried for as long as it takes — an unclear
    /// answer may mean the bank paid, so the amount stays reserved — with backoff up to an hour, and an
    /// exception for the operators once `maxAttempts` is reached. Only the bank's refusal refunds.
    private func record(_ payout: Payout, _ result: Result<PayoutResult, any Error>, on connection: PostgresConnection) throws {
        let bank = "provider:\(payout.provider.rawValue)"
        switch result {
        case .success(.completed(let reference)):
            if try PayoutRegistry.move(payout.id, from: [.inBatch, .waiting], to: .processing, actor: bank,
                                       reason: "accepted by the bank", bankReference: reference, on: connection) != nil {
                try PayoutRegistry.move(payout.id, from: [.processing], to: .completed, actor: bank, reason: "sent", on: connection)
            } else {
                try Self.exception(payout, kind: "payout_sent_after_it_ended", detail: "the bank reports \(reference) sent", on: connection)
            }
        case .success(.refused(let reason)):
            try PayoutRegistry.move(payout.id, from: [.inBatch], to: .failed, actor: bank, reason: reason, on: connection)
        case .failure(let error):
            let attempts: Int = try connection.query(
                "SELECT attempts FROM payouts WHERE id = $1::uuid", [.uuid(payout.id)]).single!.decode("attempts")
            // Already moved on by another instance (say, to completed): nothing to back off or report.
            guard try PayoutRegistry.move(payout.id, from: [.inBatch], to: .waiting, actor: "payout-dispatcher",
                                          reason: "retrying: \(error)", on: connection) != nil else { return }
            try connection.query(  // backoff: 1 s, 2 s, 4 s, … up to an hour
                "UPDATE payouts SET next_attempt_at = now() + make_interval(secs => $2::int8) WHERE id = $1::uuid",
                [.uuid(payout.id), .int64(min(Int64(1) << Int64(min(attempts - 1, 12)), 3600))])
            if attempts == maxAttempts {
                try Self.exception(payout, kind: "payout_bank_unreachable",
                                   detail: "\(attempts) attempts without a clear answer; still reserved and retried", on: connection)
            }
        }
    }

    /// A bank's answer the books would not take (a reference the database cannot store, a settlement the
    /// ledger refuses) is neither dropped nor sent again at the end of every lease with only a log line: the
    /// operators get one exception per payout, and the attempts back off from one lease, doubling, up to an
    /// hour. The payout stays `in batch`, its amount reserved: the bank may have paid.
    private func recordUnrecordedAnswer(_ payout: Payout, _ result: Result<PayoutResult, any Error>, _ error: any Error) async {
        let answer = switch result {
        case .success(.completed): "the bank reported it sent"
        case .success(.refused): "the bank refused it"
        case .failure: "no clear answer from the bank"
        }
        let leaseSeconds = lease.components.seconds
        // Without PostgreSQL's detail line, which can quote the whole failing row (an account number with it);
        // control characters (a NUL the error may quote) cannot go into jsonb.
        let text = (error as? PostgresError).map { "PostgreSQL error \($0.sqlState): \($0.message)" } ?? String(describing: error)
        let reason = String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.properties.generalCategory == .control ? " " : $0
        }))
        do {
            try await pool.transaction { connection in
                let backedOff = try connection.query(
                    """
                    UPDATE payouts SET next_attempt_at = now() + make_interval(secs => least(3600, $2::int8 << least(attempts - 1, 6)))
                     WHERE id = $1::uuid AND status = 'in batch' RETURNING attempts
                    """, [.uuid(payout.id), .int64(leaseSeconds)])
                guard !backedOff.isEmpty else { return }  // moved on meanwhile: nothing stuck to report
                let reported = try connection.query(
                    "SELECT 1 FROM reconciliation_exceptions WHERE payout_id = $1::uuid AND kind = 'payout_answer_not_recorded'",
                    [.uuid(payout.id)])
                guard reported.isEmpty else { return }
                try Self.exception(payout, kind: "payout_answer_not_recorded",
                                   detail: "\(answer), but recording it failed (\(reason)); still reserved and tried again", on: connection)
            }
        } catch {
            logger.error("a payout's unrecorded answer could not be reported either",
                         metadata: ["payout.reference": "\(payout.reference)", "error.type": "\(type(of: error))"])
        }
    }

    private static func exception(_ payout: Payout, kind: String, detail: String, on connection: PostgresConnection) throws {
        try connection.query(
            "INSERT INTO reconciliation_exceptions (payout_id, kind, detail) VALUES ($1::uuid, $2::text, $3::jsonb)",
            [.uuid(payout.id), .string(kind), .json(JSONValue.object([
                ("payout", .string(payout.reference)), ("amount", .string(payout.amount.decimalText)), ("detail", .string(detail)),
            ]).serialized)])
    }

    /// The provider's answer, or a technical failure when it takes longer than `limit`.
    static func send(_ payout: Payout, through provider: any PayoutProvider, within limit: Duration) async -> Result<PayoutResult, any Error> {
        await withTaskGroup(of: Result<PayoutResult, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await provider.send(payout)) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            // The first to finish decides: the bank's answer, or `nil` from the timer.
            if case let answer?? = await group.next() { return answer }
            return .failure(ProviderUnavailable("no answer from the bank within \(limit)"))
        }
    }
}
