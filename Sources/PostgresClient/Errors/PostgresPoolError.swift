/// Why the connection pool could not hand out a connection.
public enum PostgresPoolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every connection stayed busy for the whole acquire timeout.
    case acquireTimeout(poolSize: Int, waitedMilliseconds: Int64)
    /// The pool is shutting down or has shut down.
    case shutDown

    public var description: String {
        switch self {
        case .acquireTimeout(let size, let waited):
            return "no database connection became free within \(waited) ms (all \(size) connections busy); "
                + "the database is overloaded or the pool is too small"
        case .shutDown:
            return "the database connection pool has shut down"
        }
    }
}
