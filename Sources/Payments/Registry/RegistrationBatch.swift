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

extension PaymentRegistry {
    /// Writes concurrent registrations in one transaction: keys claimed, payments, their first events and
    /// the stored responses in four statements, whatever the batch size.
    ///
    /// Only the plain case is written together: a fresh key and a free `sourcePaymentId`. A key already
    /// taken (a retry), a key twice in one batch, or any error at all sends the item through the
    /// one-at-a-time path, which owns the answers for replays, reuse, keys in use and duplicates.
    static func registerBatch(_ items: [PendingRegistration], on pool: PostgresPool) async -> [Result<Outcome, any Error>] {
        var seenKeys = Set<String>()
        var together: [Int] = []
        var alone: [Int] = []
        for (index, item) in items.enumerated() {
            if seenKeys.insert("\(item.merchant.id)\u{0}\(item.idempotency.key)").inserted {
                together.append(index)
            } else {
                alone.append(index)
            }
        }
        var results = [Result<Outcome, any Error>?](repeating: nil, count: items.count)
        do {
            let plain = together.map { items[$0] }
            let written = try await pool.transaction { connection in try writeTogether(plain, on: connection) }
            for (index, outcome) in zip(together, written) {
                if let outcome { results[index] = .success(outcome) } else { alone.append(index) }
            }
        } catch {
            alone = Array(items.indices)
        }
        // Rare paths, each in its own transaction as if it had come alone.
        let answers = await withTaskGroup(of: (Int, Result<Outcome, any Error>).self) { group in
            for index in alone {
                group.addTask {
                    let item = items[index]
                    do {
                        return (index, .success(try await registerAlone(item, on: pool)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            return await group.reduce(into: [(Int, Result<Outcome, any Error>)]()) { $0.append($1) }
        }
        for (index, answer) in answers { results[index] = answer }
        return results.map { $0! }
    }

    /// The plain case for many registrations at once; `nil` for an item to retry alone (its key was taken,
    /// or its `sourcePaymentId` was, in which case its key is given back in this transaction).
    private static func writeTogether(_ items: [PendingRegistration], on connection: PostgresConnection) throws -> [Outcome?] {
        // A concurrent request holding one of these keys makes the insert wait; give up fast and go alone.
        try connection.executeScript("SET LOCAL lock_timeout = '200ms'")
        let ids = items.map { _ in UUID() }
        let rows = try connection.query(
            """
            WITH input AS (
                SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int8[],
                                     $8::text[], $9::text[], $10::text[], $11::int8[], $12::text[])
                    AS i(merchant_id, key, fingerprint, id, source_payment_id, provider, amount, currency, description,
                         metadata, ttl, actor)
            ), claimed AS (
                INSERT INTO idempotency_keys (merchant_id, key, fingerprint, response_status, response_body)
                SELECT merchant_id, key, decode(fingerprint, 'hex'), 0, ''::bytea FROM input
                ON CONFLICT (merchant_id, key) DO NOTHING
                RETURNING merchant_id, key
            ), inserted AS (
                INSERT INTO payments (id, merchant_id, source_payment_id, provider, amount, currency, description, metadata, expires_at)
                SELECT i.id::uuid, i.merchant_id, i.source_payment_id, i.provider, i.amount, i.currency, i.description,
                       i.metadata::jsonb, now() + make_interval(secs => i.ttl)
                  FROM input i JOIN claimed c USING (merchant_id, key)
                ON CONFLICT DO NOTHING
                RETURNING \(columns)
            ), events AS (
                INSERT INTO payment_events (payment_id, from_status, to_status, actor, reason)
                SELECT p.id, NULL, 'NOT_SENT', i.actor, 'registered' FROM inserted p JOIN input i ON i.id::uuid = p.id
            )
            SELECT i.id AS input_id, c.key IS NOT NULL AS claimed, p.*
              FROM input i
              LEFT JOIN claimed c USING (merchant_id, key)
              LEFT JOIN inserted p ON p.id = i.id::uuid
            """,
            [.int64Array(items.map(\.merchant.id)), .stringArray(items.map(\.idempotency.key)),
             .stringArray(items.map { hex($0.idempotency.fingerprint) }), .stringArray(ids.map(\.uuidString)),
             .stringArray(items.map(\.registration.sourcePaymentID)), .stringArray(items.map(\.provider.rawValue)),
             .int64Array(items.map(\.amount.minorUnits)), .stringArray(items.map(\.amount.currency.code)),
             .stringArray(items.map(\.registration.description)),
             .stringArray(items.map(\.registration.metadata)),
             .int64Array(items.map { $0.merchant.paymentTimeToLive.components.seconds }),
             .stringArray(items.map { "merchant:\($0.merchant.code)" })])

        var byID: [String: PostgresRow] = [:]
        for row in rows { byID[try row.decode("input_id", as: String.self)] = row }
        var outcomes: [Outcome?] = []
        var stored: [(PendingRegistration, StoredResponse)] = []
        var givenBack: [PendingRegistration] = []
        for (item, id) in zip(items, ids) {
            guard let row = byID[id.uuidString], try row.decode("claimed", as: Bool.self) else {
                outcomes.append(nil)
                continue
            }
            guard try row.decode("id", as: UUID?.self) != nil else {
                givenBack.append(item)  // sourcePaymentId taken: the alone path answers DUPLICATE_PAYMENT
                outcomes.append(nil)
                continue
            }
            let payment = try payment(from: row)
            let response = item.render(payment)
            stored.append((item, response))
            outcomes.append(.created(payment, response))
        }
        if !stored.isEmpty {
            try connection.query(
                """
                UPDATE idempotency_keys k SET response_status = r.status, response_body = decode(r.body, 'hex')
                  FROM unnest($1::int8[], $2::text[], $3::int8[], $4::text[]) AS r(merchant_id, key, status, body)
                 WHERE k.merchant_id = r.merchant_id AND k.key = r.key
                """,
                [.int64Array(stored.map(\.0.merchant.id)), .stringArray(stored.map(\.0.idempotency.key)),
                 .int64Array(stored.map { Int64($0.1.status) }), .stringArray(stored.map { hex($0.1.body) })])
        }
        if !givenBack.isEmpty {
            try connection.query(
                """
                DELETE FROM idempotency_keys k USING unnest($1::int8[], $2::text[]) AS r(merchant_id, key)
                 WHERE k.merchant_id = r.merchant_id AND k.key = r.key
                """,
                [.int64Array(givenBack.map(\.merchant.id)), .stringArray(givenBack.map(\.idempotency.key))])
        }
        return outcomes
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
