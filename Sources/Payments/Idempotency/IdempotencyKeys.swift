import PostgresClient

/// The idempotency-key rows every guarded POST uses, inside the transaction of the effect they guard.
enum IdempotencyKeys {
    /// Takes `request`'s key for this transaction: `nil` when it is new (go on, then `store` the answer),
    /// or the response stored for it, to replay. The same key with another request is
    /// `idempotencyKeyReused`; one whose first request is still running is `idempotencyKeyInUse`.
    static func claim(_ request: IdempotentRequest, merchantID: Int64, on connection: PostgresConnection) throws -> StoredResponse? {
        let claimed = try connection.query(
            """
            INSERT INTO idempotency_keys (merchant_id, key, fingerprint, response_status, response_body)
            VALUES ($1::int8, $2::text, $3::bytea, 0, ''::bytea)
            ON CONFLICT (merchant_id, key) DO NOTHING
            RETURNING 1 AS claimed
            """, [.int64(merchantID), .string(request.key), .bytes(request.fingerprint)])
        guard claimed.isEmpty else { return nil }
        let row = try connection.query(
            "SELECT fingerprint, response_status, response_body FROM idempotency_keys WHERE merchant_id = $1::int8 AND key = $2::text",
            [.int64(merchantID), .string(request.key)]
        ).single!
        guard try row.decode("fingerprint", as: [UInt8].self) == request.fingerprint else {
            throw PaymentError.idempotencyKeyReused
        }
        let status: Int = try row.decode("response_status")
        guard status != 0 else { throw PaymentError.idempotencyKeyInUse }
        return StoredResponse(status: status, body: try row.decode("response_body"))
    }

    /// Keeps the answer with the key claimed in this transaction.
    static func store(_ response: StoredResponse, for request: IdempotentRequest, merchantID: Int64, on connection: PostgresConnection) throws {
        try connection.query(
            """
            UPDATE idempotency_keys SET response_status = $3::int4, response_body = $4::bytea
             WHERE merchant_id = $1::int8 AND key = $2::text
            """,
            [.int64(merchantID), .string(request.key), .int32(Int32(response.status)), .bytes(response.body)])
    }
}

/// What a guarded create did: made something (and stored `response` with the key), or found the key's
/// stored response to replay.
public enum IdempotentOutcome<Value: Sendable>: Sendable {
    case created(Value, StoredResponse)
    case replayed(StoredResponse)
}

extension IdempotencyKeys {
    /// Runs `create` under an optional idempotency key, inside the caller's transaction: a key seen before
    /// replays its stored response instead; a new key is stored with `create`'s response.
    static func guarded<Value: Sendable>(
        _ request: IdempotentRequest?, merchantID: Int64, on connection: PostgresConnection,
        _ create: () throws -> (Value, StoredResponse)
    ) throws -> IdempotentOutcome<Value> {
        guard let request else {
            let (value, response) = try create()
            return .created(value, response)
        }
        // A concurrent request holding the same key makes the claim wait; give up fast instead.
        try connection.executeScript("SET LOCAL lock_timeout = '200ms'")
        if let stored = try claim(request, merchantID: merchantID, on: connection) { return .replayed(stored) }
        // The key is ours. What `create` writes may wait for another request's uncommitted row under another
        // key (the same sourcePaymentId, say): that ends as a duplicate or frees it, so wait, not "key in use".
        try connection.executeScript("SET LOCAL lock_timeout = 0")
        let (value, response) = try create()
        try store(response, for: request, merchantID: merchantID, on: connection)
        return .created(value, response)
    }
}

extension IdempotencyKeys {
    /// `guarded` in a transaction of its own: a key still held by a running request is
    /// `idempotencyKeyInUse`, and a freshly drawn reference that collided with the unique constraint
    /// `retryingOn` is drawn again (up to three tries in all).
    static func create<Value: Sendable>(
        _ request: IdempotentRequest?, merchantID: Int64, on pool: PostgresPool, retryingOn constraint: String? = nil,
        _ create: @escaping @Sendable (PostgresConnection) throws -> (Value, StoredResponse)
    ) async throws -> IdempotentOutcome<Value> {
        var attempt = 1
        while true {
            do {
                return try await pool.transaction { connection in
                    try guarded(request, merchantID: merchantID, on: connection) { try create(connection) }
                }
            } catch let error as PostgresError where error.sqlState == "55P03" {
                throw PaymentError.idempotencyKeyInUse
            } catch let error as PostgresError where error.isUniqueViolation && error.constraint == constraint && attempt < 3 {
                attempt += 1
            }
        }
    }
}
