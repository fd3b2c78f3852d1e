import Foundation
import Logging
import PostgresClient
import ServiceLifecycle

/// Takes NOT_SENT payments to their provider: claims a batch (`FOR UPDATE SKIP LOCKED`, so several
/// instances can run), marks them SUBMITTING, calls the provider outside any transaction, then records
/// PENDING, a business refusal, or a technical failure to retry with backoff (FAILED_TECHNICAL after the last).
/// A payment left SUBMITTING by a crash is claimed again once its lease runs out: nothing is lost. One it
/// finds past its window is expired, not submitted.
public struct PaymentDispatcher: Service {
    let pool: PostgresPool
    let providers: [ProviderCode: any PaymentProvider]
    let logger: Logger
    /// How long one submission may take before another dispatcher may take the payment over.
    public var lease: Duration = .seconds(60)
    public var maxAttempts = 5
    /// The wait before the first retry of a technical failure, in whole seconds (at least one); it doubles with each attempt after.
    public var retryBackoff: Duration = .seconds(1)
    public var pollInterval: Duration = .milliseconds(200)
    /// Under load, how long to let payments gather before the next round (a round is two transactions).
    public var gatherInterval: Duration = .milliseconds(20)
    public var batchSize = 128

    public init(pool: PostgresPool, providers: [ProviderCode: any PaymentProvider], logger: Logger) {
        self.pool = pool
        self.providers = providers
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(idle: pollInterval, batch: batchSize, gather: gatherInterval) { try await dispatchOnce() }
    }

    /// One round: returns how many payments it handled.
    @discardableResult
    public func dispatchOnce() async throws -> Int {
        let providerCodes = providers.keys.map(\.rawValue)
        guard !providerCodes.isEmpty else { return 0 }
        let (leaseSeconds, batchSize) = (lease.components.seconds, self.batchSize)
        let (claimed, expired): ([Payment], Int) = try await pool.transaction { connection in
            // No `expires_at` condition here: with one, the planner can walk the unfinished-by-expiry index
            // instead, through every PENDING payment awaiting its customer (27,000 rows, 9 ms a round, in the
            // bench). Payments found past their window are expired here instead of submitted.
            let rows = try connection.query(
                """
                SELECT \(PaymentRegistry.transitionColumns), p.description, p.metadata::text AS metadata, p.expires_at,
                       p.created_at, p.expires_at <= now() AS expired
                  FROM payments p \(PaymentRegistry.transitionJoins)
                 WHERE p.status IN ('NOT_SENT', 'SUBMITTING') AND p.next_attempt_at <= now() AND p.provider = ANY ($1::text[])
                 ORDER BY p.next_attempt_at LIMIT $2::int8
                   FOR UPDATE OF p SKIP LOCKED
                """, [.stringArray(providerCodes), .int64(Int64(batchSize))])
            guard !rows.isEmpty else { return ([], 0) }
            var locked: [UUID: PostgresRow] = [:]
            // NOT_SENT payments start their attempt with the move to SUBMITTING; SUBMITTING ones whose lease ran
            // out (a dispatcher died mid-call) start another attempt where they are.
            var fresh: [PaymentStatusChange] = []
            var retaken: [String] = []
            var expired: [PaymentStatusChange] = []
            var claimed: [Payment] = []
            for row in rows {
                var payment = try PaymentRegistry.payment(from: row)
                locked[payment.id] = row
                if try row.decode("expired") {
                    expired.append(PaymentStatusChange(payment.id, reason: PaymentExpirySweeper.reason))
                    continue
                }
                if payment.status == .notSent {
                    fresh.append(PaymentStatusChange(payment.id, reason: "submitting to provider", submissionLease: lease))
                } else {
                    retaken.append(payment.id.lowercasedText)
                }
                payment.status = .submitting
                claimed.append(payment)
            }
            try PaymentRegistry.apply(expired, to: .expired, actor: PaymentExpirySweeper.actor, locked: locked, on: connection)
            try PaymentRegistry.apply(fresh, to: .submitting, actor: "dispatcher", locked: locked, on: connection)
            if !retaken.isEmpty {
                try connection.query(
                    """
                    UPDATE payments SET submit_attempts = submit_attempts + 1, next_attempt_at = now() + make_interval(secs => $2::int8)
                     WHERE id = ANY ($1::text[]::uuid[])
                    """, [.stringArray(retaken), .int64(leaseSeconds)])
            }
            return (claimed, expired.count)
        }
        guard !claimed.isEmpty else { return expired }
        let results = await withTaskGroup(of: (Payment, Result<SubmissionResult, any Error>).self) { group in
            for payment in claimed {
                group.addTask { (payment, await submit(payment)) }
            }
            return await group.reduce(into: [(Payment, Result<SubmissionResult, any Error>)]()) { $0.append($1) }
        }
        try await record(results)
        return claimed.count + expired
    }

    private func submit(_ payment: Payment) async -> Result<SubmissionResult, any Error> {
        guard let provider = providers[payment.provider] else {
            return .failure(ProviderUnavailable("no provider configured for \(payment.provider.rawValue)"))
        }
        do {
            return .success(try await provider.submit(payment))
        } catch {
            return .failure(error)
        }
    }

    /// Records a round's answers in one transaction, a few statements whatever their number: accepted
    /// payments move to PENDING together, refusals to FAILED_BUSINESS (together per provider), and technical
    /// failures either back to NOT_SENT with a backoff or, after the last attempt, to FAILED_TECHNICAL.
    private func record(_ results: [(Payment, Result<SubmissionResult, any Error>)]) async throws {
        let (maxAttempts, backoffSeconds) = (self.maxAttempts, max(retryBackoff.components.seconds, 1))
        try await pool.transaction { connection in
            var accepted: [PaymentStatusChange] = []
            var refused: [ProviderCode: [PaymentStatusChange]] = [:]
            var failed: [(payment: Payment, error: any Error)] = []
            for (payment, result) in results {
                switch result {
                case .success(.accepted(let reference)):
                    accepted.append(PaymentStatusChange(
                        payment.id, reason: "accepted by \(payment.provider.rawValue)", providerReference: reference))
                case .success(.refused(let reason)):
                    refused[payment.provider, default: []].append(PaymentStatusChange(payment.id, reason: reason))
                case .failure(let error):
                    failed.append((payment, error))
                }
            }
            try PaymentRegistry.apply(accepted, to: .pending, actor: "dispatcher", on: connection)
            for (provider, changes) in refused {
                try PaymentRegistry.apply(changes, to: .failedBusiness, actor: "provider:\(provider.rawValue)", on: connection)
            }
            guard !failed.isEmpty else { return }
            var attempts: [UUID: Int] = [:]
            for row in try connection.query(
                "SELECT id, submit_attempts FROM payments WHERE id = ANY ($1::text[]::uuid[])",
                [.stringArray(failed.map(\.payment.id.lowercasedText))])
            {
                attempts[try row.decode("id")] = try row.decode("submit_attempts")
            }
            var exhausted: [PaymentStatusChange] = []
            var retried: [(change: PaymentStatusChange, backoffSeconds: Int64, error: String)] = []
            for (payment, error) in failed {
                let made = attempts[payment.id] ?? maxAttempts
                if made >= maxAttempts {
                    exhausted.append(PaymentStatusChange(payment.id, reason: "provider unavailable after \(made) attempts"))
                } else {
                    // Backoff: 1 s, 2 s, 4 s, … between attempts (by default).
                    retried.append((PaymentStatusChange(payment.id, reason: "retrying: \(error)"),
                                    backoffSeconds << min(max(made - 1, 0), 10), String(describing: error)))
                }
            }
            try PaymentRegistry.apply(exhausted, to: .failedTechnical, actor: "dispatcher", on: connection)
            let moved = try PaymentRegistry.apply(retried.map(\.change), to: .notSent, actor: "dispatcher", on: connection)
            let due = retried.filter { moved[$0.change.paymentID] != nil }
            guard !due.isEmpty else { return }
            try connection.query(
                """
                UPDATE payments p SET next_attempt_at = now() + make_interval(secs => r.backoff), last_error = r.error
                  FROM unnest($1::text[], $2::int8[], $3::text[]) AS r(id, backoff, error)
                 WHERE p.id = r.id::uuid
                """,
                [.stringArray(due.map(\.change.paymentID.lowercasedText)), .int64Array(due.map(\.backoffSeconds)),
                 .stringArray(due.map(\.error))])
        }
        logger.debug("payments submitted", metadata: ["payments.count": "\(results.count)"])
    }
}
