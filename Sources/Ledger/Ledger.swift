import Logging
import PostgresClient

/// The double-entry ledger: books, accounts, journal entries and balances, kept in PostgreSQL.
///
/// Every change goes through `post(_:)`, which posts a batch of entries in one transaction; the
/// database itself refuses unbalanced, duplicated or edited history (see `sql/migrations/0002_ledger.sql`).
public struct Ledger: Sendable {
    let pool: PostgresPool
    let logger: Logger

    public init(pool: PostgresPool, logger: Logger = Logger(label: "satang.ledger")) {
        self.pool = pool
        self.logger = logger
    }
}

/// A ledger request that cannot be served as asked: the message says what to change.
public struct LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unknownBook = "UNKNOWN_BOOK"
        case unknownAccount = "UNKNOWN_ACCOUNT"
        case unknownEntry = "UNKNOWN_ENTRY"
        case invalidRequest = "INVALID_REQUEST"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
