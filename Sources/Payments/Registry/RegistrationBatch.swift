import Foundation
import Ledger
import PostgresClient

/// A validated registration waiting for its batch: what `PaymentRegistry.register` hands to group commit.
struct PendingRegistration: Sendable {
    var registration: PaymentRegistration
    var provider: ProviderCode
    var amount: Money
    var merchant: Merchant
    var idempotency: IdempotentRequest
    var render: @Sendable (Payment) -> StoredResponse
}

/// What the batch did with one registration: wrote it, or left it to a transaction of its own.
enum BatchedRegistration: Sendable {
    case written(PaymentRegistry.Outcome)
    /// A retry, a reused key, a key in use, a duplicate `sourcePaymentId`, or any item of a failed batch: the
    /// caller registers it in a transaction of its own after the batch has answered, so that transaction (and a
    /// wait of up to `lock_timeout` for a key still in use) does not delay the next batch.
    case alone
}

extension PaymentRegistry {
    /// Writes concurrent registrations with one statement, so one round trip and one commit: keys claimed
    /// with their stored responses, payments and their first events, whatever the batch size.
    ///
    /// Only the plain case is written together: a fresh key and a free `sourcePaymentId`. A key already
    /// taken (a retry) is answered `.alone`: the one-at-a-time path owns the answers for replays, reuse,
    /// keys in use and duplicates. So is every item of a batch whose statement failed (a taken
    /// `sourcePaymentId` fails it as a whole, and the statement is its own transaction, so nothing of it stays).
    static func registerBatch(_ items: [PendingRegistration], on pool: PostgresPool) async -> [Result<BatchedRegistration, any Error>] {
        var seenKeys = Set<String>()
        var together: [Int] = []
        for (index, item) in items.enumerated() where seenKeys.insert("\(item.merchant.id)\u{0}\(item.idempotency.key)").inserted {
            together.append(index)
        }
        var results = [Result<BatchedRegistration, any Error>](repeating: .success(.alone), count: items.count)
        guard let written = try? await writeTogether(together.map { items[$0] }, on: pool) else { return results }
        for (index, outcome) in zip(together, written) {
            if let outcome { results[index] = .success(.written(outcome)) }
        }
        return results
    }

    /// The plain case for many registrations at once, as one autocommitted statement; `nil` for an item
    /// whose key was already taken (it goes alone). The answers are rendered before anything is written, so
    /// the stored response goes in with the key: the payment's times come from here, to the microsecond.
    private static func writeTogether(_ items: [PendingRegistration], on pool: PostgresPool) async throws -> [Outcome?] {
        let createdAt = Date().postgresPrecision
        let payments = items.map { item in
            Payment(
                id: UUID.timeOrdered(), merchantID: item.merchant.id, sourcePaymentID: item.registration.sourcePaymentID,
                provider: item.provider, amount: item.amount, description: item.registration.description,
                metadata: item.registration.metadata, status: .notSent,
                expiresAt: (createdAt + TimeInterval(item.merchant.paymentTimeToLive.components.seconds)).postgresPrecision, createdAt: createdAt)
        }
        let responses = zip(items, payments).map { item, payment in item.render(payment) }
        let rows = try await pool.query(
            """
            WITH input AS (
                SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int8[],
                                     $8::text[], $9::text[], $10::text[], $11::int8[], $12::text[], $13::int8[], $14::text[])
                    AS i(merchant_id, key, fingerprint, id, source_payment_id, provider, amount, currency, description,
                         metadata, ttl, actor, response_status, response_body)
            ), claimed AS (
                INSERT INTO idempotency_keys (merchant_id, key, fingerprint, response_status, response_body, created_at)
                SELECT merchant_id, key, decode(fingerprint, 'hex'), response_status, convert_to(response_body, 'UTF8'), $15::timestamptz
                  FROM input
                ON CONFLICT (merchant_id, key) DO NOTHING
                RETURNING merchant_id, key
            ), inserted AS (
                INSERT INTO payments (id, merchant_id, source_payment_id, provider, amount, currency, description, metadata,
                                      expires_at, created_at)
                SELECT i.id::uuid, i.merchant_id, i.source_payment_id, i.provider, i.amount, i.currency, i.description,
                       i.metadata::jsonb, $15::timestamptz + make_interval(secs => i.ttl), $15::timestamptz
                  FROM input i JOIN claimed c USING (merchant_id, key)
                RETURNING id
            ), events AS (
                INSERT INTO payment_events (payment_id, from_status, to_status, actor, reason, at)
                SELECT p.id, NULL, 'NOT_SENT', i.actor, 'registered', $15::timestamptz
                  FROM inserted p JOIN input i ON i.id::uuid = p.id
            )
            SELECT i.id AS input_id FROM input i JOIN inserted p ON p.id = i.id::uuid
            """,
            [.int64Array(items.map(\.merchant.id)), .stringArray(items.map(\.idempotency.key)),
             .stringArray(items.map(\.idempotency.fingerprint.lowercaseHex)), .stringArray(payments.map(\.id.lowercasedText)),
             .stringArray(items.map(\.registration.sourcePaymentID)), .stringArray(items.map(\.provider.rawValue)),
             .int64Array(items.map(\.amount.minorUnits)), .stringArray(items.map(\.amount.currency.code)),
             .stringArray(items.map(\.registration.description)),
             .stringArray(items.map(\.registration.metadata)),
             .int64Array(items.map { $0.merchant.paymentTimeToLive.components.seconds }),
             .stringArray(items.map { "merchant:\($0.merchant.code)" }),
             .int64Array(responses.map { Int64($0.status) }),
             .stringArray(responses.map { String(decoding: $0.body, as: UTF8.self) }),
             .date(createdAt)])
        var written = Set<String>()
        for row in rows { written.insert(try row.decode("input_id", as: String.self)) }
        return zip(payments, responses).map { payment, response in
            written.contains(payment.id.lowercasedText) ? .created(payment, response) : nil
        }
    }
}
