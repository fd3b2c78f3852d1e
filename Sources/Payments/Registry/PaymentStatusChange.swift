import Foundation
import Ledger
import PostgresClient

/// One payment to move, and why (the reason lands in its event and its callback).
public struct PaymentStatusChange: Sendable {
    public var paymentID: UUID
    public var reason: String
    /// The provider's reference for the payment, recorded with the change when it is new.
    public var providerReference: String?
    /// Starts a submission attempt with the change: counts it and leases the payment for this long.
    public var submissionLease: Duration?

    public init(_ paymentID: UUID, reason: String, providerReference: String? = nil, submissionLease: Duration? = nil) {
        self.paymentID = paymentID
        self.reason = reason
        self.providerReference = providerReference
        self.submissionLease = submissionLease
    }
}

extension PaymentRegistry {
    /// Moves a payment along its lifecycle inside the caller's transaction, appends the event, and writes the
    /// `payment.status_changed` outbox event for the merchant's callback: every status change, in one place.
    /// The row is locked first; a transition the lifecycle forbids from its current status is `nil`.
    @discardableResult
    public static func apply(
        _ id: UUID, to status: PaymentStatus, actor: String, reason: String, on connection: PostgresConnection
    ) throws -> PaymentTransition? {
        try apply([PaymentStatusChange(id, reason: reason)], to: status, actor: actor, on: connection)[id]
    }

    /// What `apply` reads of each payment it moves, selected `FROM payments p \(transitionJoins)`. A caller
    /// that locks the payments itself selects these too and hands the rows over, so they are read once.
    static let transitionColumns = """
        p.id, p.status::text AS status, p.merchant_id, p.source_payment_id, p.amount, p.currency::text AS currency,
        p.provider, d.reference AS deposit_reference, d.fee AS deposit_fee, d.callback_url AS deposit_callback_url,
        CASE WHEN d.payment_id IS NOT NULL THEN dm.api_secret END AS deposit_secret, now() AS changed_at
        """
    /// The joins `transitionColumns` needs: a deposit tells its own callback URL, signed with its merchant's secret.
    static let transitionJoins = "LEFT JOIN deposits d ON d.payment_id = p.id LEFT JOIN merchants dm ON dm.id = d.merchant_id"

    /// Moves many payments to `status` in four statements (three given `locked`), whatever their number: rows
    /// locked in id order (so concurrent batches cannot deadlock), then events, status and outbox events written together.
    /// Payments the lifecycle forbids from moving are left alone and absent from the answer.
    ///
    /// `locked`: the payments' rows as this transaction locked them (`transitionColumns`, `FOR UPDATE`), not
    /// moved since; then `apply` does not read them again. Without it, `apply` locks and reads them itself.
    @discardableResult
    public static func apply(
        _ changes: [PaymentStatusChange], to status: PaymentStatus, actor: String, locked: [UUID: PostgresRow]? = nil,
        on connection: PostgresConnection
    ) throws -> [UUID: PaymentTransition] {
        guard !changes.isEmpty else { return [:] }
        let current: [UUID: PostgresRow]
        if let locked {
            current = locked
        } else {
            var read: [UUID: PostgresRow] = [:]
            for row in try connection.query(
                """
                SELECT \(transitionColumns) FROM payments p \(transitionJoins)
                 WHERE p.id = ANY ($1::text[]::uuid[]) ORDER BY p.id FOR UPDATE OF p
                """, [.stringArray(changes.map(\.paymentID.lowercasedText))])
            {
                read[try row.decode("id")] = row
            }
            current = read
        }

        var transitions: [UUID: PaymentTransition] = [:]
        var moved: [(change: PaymentStatusChange, from: PaymentStatus, merchantID: Int64, event: OutboxEvent)] = []
        for change in changes where transitions[change.paymentID] == nil {
            guard let row = current[change.paymentID], let from = PaymentStatus(rawValue: try row.decode("status")),
                let transition = PaymentTransition.transition(from: from, to: status, actor: actor, reason: change.reason)
            else { continue }
            transitions[change.paymentID] = transition
            let amount = try amount(in: row)
            let merchantID: Int64 = try row.decode("merchant_id")
            let event: OutboxEvent
            if let reference = try row.decode("deposit_reference", as: String?.self) {
                // A gateway deposit tells its own callback URL, in seed 001's shape.
                event = GatewayCallback.deposit(
                    merchantID: merchantID, reference: reference, status: status, amount: amount,
                    fee: .minor(try row.decode("deposit_fee")), paidAt: status == .succeeded ? try row.decode("changed_at") : nil,
                    callbackURL: try row.decode("deposit_callback_url"), secret: try row.decode("deposit_secret"))
            } else {
                // Written directly: Foundation's JSONSerialization with sorted keys collated every key through ICU,
                // a fifth of the server's CPU under load, and `jsonb` keeps no key order anyway.
                let payload = JSONValue.object([
                    ("type", .string("payment.status_changed")), ("paymentId", .string(change.paymentID.lowercasedText)),
                    ("sourcePaymentId", .string(try row.decode("source_payment_id"))), ("provider", .string(try row.decode("provider"))),
                    ("previousStatus", .string(from.rawValue)), ("status", .string(status.rawValue)),
                    ("amount", .string(amount.decimalText)), ("currency", .string(amount.currency.code)), ("reason", .string(change.reason)),
                ]).serialized
                event = OutboxEvent(merchantID: merchantID, type: "payment.status_changed", payload: payload)
            }
            moved.append((change, from, merchantID, event))
        }
        guard !moved.isEmpty else { return transitions }
        let ids = PostgresValue.stringArray(moved.map(\.change.paymentID.lowercasedText))
        // The events go in before the update: their foreign-key check then finds the row version this
        // transaction has locked already, where after the update it would lock the new one, one more WAL record each.
        try connection.query(
            """
            INSERT INTO payment_events (payment_id, from_status, to_status, actor, reason)
            SELECT e.id::uuid, e.from_status::payment_status, $3::text::payment_status, $4::text, e.reason
              FROM unnest($1::text[], $2::text[], $5::text[]) AS e(id, from_status, reason)
            """,
            [ids, .stringArray(moved.map(\.from.rawValue)), .string(status.rawValue), .string(actor),
             .stringArray(moved.map(\.change.reason))])
        // One row version per payment: whatever else the change records is written by the same update.
        try connection.query(
            """
            UPDATE payments p
               SET status = $2::text::payment_status,
                   provider_reference = COALESCE(NULLIF(c.reference, ''), p.provider_reference),
                   submit_attempts = p.submit_attempts + CASE WHEN c.lease_seconds >= 0 THEN 1 ELSE 0 END,
                   next_attempt_at = CASE WHEN c.lease_seconds >= 0 THEN now() + make_interval(secs => c.lease_seconds)
                                          ELSE p.next_attempt_at END
              FROM unnest($1::text[], $3::text[], $4::int8[]) AS c(id, reference, lease_seconds)
             WHERE p.id = c.id::uuid
            """,
            [ids, .string(status.rawValue), .stringArray(moved.map { $0.change.providerReference ?? "" }),
             .int64Array(moved.map { $0.change.submissionLease?.components.seconds ?? -1 })])
        try Outbox.append(moved.map(\.event), on: connection)
        return transitions
    }
}
