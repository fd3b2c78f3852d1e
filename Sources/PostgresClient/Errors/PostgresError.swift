/// An error reported by PostgreSQL or by libpq, with the SQLSTATE that tells callers what went wrong.
///
/// Descriptions carry the server's message and detail, never the SQL text or parameter values.
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The five-character SQLSTATE, e.g. `23505`; libpq-side connection failures use class 08.
    public var sqlState: String
    /// The server's primary message (or libpq's message for connection failures).
    public var message: String
    /// The server's detail line, when it sent one.
    public var detail: String?
    /// The server's hint, when it sent one.
    public var hint: String?
    /// The violated constraint, for integrity errors.
    public var constraint: String?
    /// The table the error concerns, when the server names one.
    public var table: String?
    /// The column the error concerns, when the server names one.
    public var column: String?

    public init(
        sqlState: String,
        message: String,
        detail: String? = nil,
        hint: String? = nil,
        constraint: String? = nil,
        table: String? = nil,
        column: String? = nil
    ) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    /// 23505: a unique or primary-key constraint refused the row.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// 40001: a serializable transaction lost a conflict; run it again.
    public var isSerializationFailure: Bool { sqlState == "40001" }
    /// 40P01: the server broke a deadlock by aborting this transaction; run it again.
    public var isDeadlock: Bool { sqlState == "40P01" }
    /// Class 08, or an administrator shutdown (57P01-57P03): the connection is gone.
    public var isConnectionFailure: Bool {
        sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }
    /// 57014: the statement ran past `statement_timeout` or was cancelled.
    public var isQueryCanceled: Bool { sqlState == "57014" }

    public var description: String {
        var text = "PostgreSQL error \(sqlState): \(message)"
        if let detail { text += " (\(detail))" }
        if let constraint { text += " [constraint \(constraint)]" }
        return text
    }

    /// A libpq-level connection failure, which has no server SQLSTATE of its own.
    static func connectionFailure(_ message: String) -> PostgresError {
        PostgresError(sqlState: "08006", message: message.trimmingTrailingWhitespace())
    }

    /// A failure detected on the client side before anything reached the server.
    static func clientError(_ message: String) -> PostgresError {
        PostgresError(sqlState: "22000", message: message)
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
