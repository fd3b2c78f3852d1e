import Foundation
import Logging
import PostgresClient
import ServiceLifecycle

/// Takes NOT_SENT payments to their provider: claims a batch (`FOR UPDATE SKIP LOCKED`, so several
/// instances can run), marks them SUBMITTING, calls the provider outside any transaction, then records
/// PENDING, a business refusal, or a technical failure to retry with backoff (FAILED_TECHNICAL after the last).
/// A payment left SUBMITTING by a crash is claimed again once its lease runs out: nothing is lost.
public struct PaymentDispatcher: Service {
    let pool: PostgresPool
    let providers: [ProviderCode: any PaymentProvider]
    let logger: Logger
    /// How long one submission may take before another dispatcher may take the payment over.
    public var lease: Duration = .seconds(60)
    public var maxAttempts = 5
    public var pollInterval: Duration = .milliseconds(200)
    public var batchSize = 32

    public init(pool: PostgresPool, providers: [ProviderCode: any PaymentProvider], logger: Logger) {
        self.pool = pool
        self.providers = providers
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(idle: pollInterval) { try await dispatchOnce() }
    }

    /// One round: returns how many payments it handled.
    @discardableResult
    public func dispatchOnce() async throws -> Int {
        let providerCodes = providers.keys.map(\.rawValue)
        guard !providerCodes.isEmpty else { return 0 }
        let (leaseSeconds, batchSize) = (lease.components.seconds, self.batchSize)
        let claimed: [Payment] = try await pool.transaction { connection in
            let rows = try connection.query(
                """
                SELECT id, status::text AS status FROM payments
                 WHERE status IN ('NOT_SENT', 'SUBMITTING') AND next_attempt_at <= now() AND expires_at > now()
                   AND provider = ANY ($1::text[])
                 ORDER BY next_attempt_at LIMIT $2::int8
                   FOR UPDATE SKIP LOCKED
                """, [.stringArray(providerCodes), .int64(Int64(batchSize))])
            var claimed: [Payment] = []
            for row in rows {
                let id: UUID = try row.decode("id")
                if try row.decode("status", as: String.self) == PaymentStatus.notSent.rawValue {
                    try PaymentRegistry.apply(id, to: .submitting, actor: "dispatcher", reason: "submitting to provider", on: connection)
                }
                let updated = try connection.query(
                    """
                    UPDATE payments SET submit_attempts = submit_attempts + 1,
                           next_attempt_at = now() + make_interval(secs => $2::int8)
                     WHERE id = $1::uuid RETURNING \(PaymentRegistry.columns)
                    """, [.uuid(id), .int64(leaseSeconds)])
                claimed.append(try PaymentRegistry.payment(from: updated.single!))
            }
            return claimed
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for payment in claimed {
                group.addTask { try await submit(payment) }
            }
            try await group.waitForAll()
        }
        return claimed.count
    }

    private func submit(_ payment: Payment) async throws {
        guard let provider = providers[payment.provider] else { return }
        let result: Result<SubmissionResult, any Error>
        do {
            result = .success(try await provider.submit(payment))
        } catch {
            result = .failure(error)
        }
        let maxAttempts = self.maxAttempts
        try await pool.transaction { connection in
            switch result {
            case .success(.accepted(let reference)):
                try PaymentRegistry.apply(payment.id, to: .pending, actor: "dispatcher", reason: "accepted by \(payment.provider.rawValue)", on: connection)
                try connection.query("UPDATE payments SET provider_reference = $2::text WHERE id = $1::uuid",
                                     [.uuid(payment.id), .string(reference)])
            case .success(.refused(let reason)):
                try PaymentRegistry.apply(payment.id, to: .failedBusiness, actor: "provider:\(payment.provider.rawValue)", reason: reason, on: connection)
            case .failure(let error):
                let attempts: Int = try connection.query(
                    "SELECT submit_attempts FROM payments WHERE id = $1::uuid", [.uuid(payment.id)]).single!.decode("submit_attempts")
                if attempts >= maxAttempts {
                    try PaymentRegistry.apply(payment.id, to: .failedTechnical, actor: "dispatcher",
                                              reason: "provider unavailable after \(attempts) attempts", on: connection)
                } else {
                    try PaymentRegistry.apply(payment.id, to: .notSent, actor: "dispatcher", reason: "retrying: \(error)", on: connection)
                    // Backoff: 1 s, 2 s, 4 s, … between attempts.
                    try connection.query(
                        "UPDATE payments SET next_attempt_at = now() + make_interval(secs => $2::int8), last_error = $3::text WHERE id = $1::uuid",
                        [.uuid(payment.id), .int64(Int64(1 << min(attempts - 1, 10))), .string(String(describing: error))])
                }
            }
        }
        logger.debug("payment submitted", metadata: ["payment.id": "\(payment.id)", "payment.provider": "\(payment.provider.rawValue)"])
    }
}
