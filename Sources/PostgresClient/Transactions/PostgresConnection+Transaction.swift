extension PostgresConnection {
    /// Runs `body` between `BEGIN` and `COMMIT` on this connection; any error rolls back and is rethrown.
    ///
    /// A body that swallowed a statement's error cannot commit by accident: PostgreSQL answers `COMMIT` of a
    /// failed transaction with a silent rollback, which is reported here as an error.
    public func transaction<T>(
        isolation: TransactionIsolation = .readCommitted,
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        try executeScript("BEGIN ISOLATION LEVEL \(isolation.rawValue)")
        let result: T
        do {
            result = try body(self)
            if isTransactionFailed {
                throw PostgresError(
                    sqlState: "25P02",
                    message: "the transaction failed on an earlier statement whose error was not rethrown; rolled back")
            }
        } catch {
            if isOpen { try? executeScript("ROLLBACK") }
            throw error
        }
        try executeScript("COMMIT")
        return result
    }
}
