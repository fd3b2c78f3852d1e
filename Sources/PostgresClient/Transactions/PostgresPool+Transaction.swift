import Logging

extension PostgresPool {
    /// Runs `body` in one transaction on one pooled connection, committing when it returns and rolling
    /// back when it throws. A serialization failure (40001) or deadlock (40P01) runs the whole body
    /// again, up to `maxAttempts` times in all, so `body` must only touch the database.
    public func transaction<T: Sendable>(
        isolation: TransactionIsolation = .readCommitted,
        maxAttempts: Int = 5,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await withConnection { connection in
                    try connection.transaction(isolation: isolation, body)
                }
            } catch let error as PostgresError where (error.isSerializationFailure || error.isDeadlock) {
                guard attempt < maxAttempts else { throw error }
                logger.debug(
                    "transaction retried",
                    metadata: ["postgres.sqlstate": "\(error.sqlState)", "transaction.attempt": "\(attempt)"])
                // A short, growing, jittered pause lets the conflicting transaction finish first.
                let pause = Int64.random(in: 1...(2 << min(attempt, 6)))
                try await Task.sleep(for: .milliseconds(pause))
                attempt += 1
            }
        }
    }
}
