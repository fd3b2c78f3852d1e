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
