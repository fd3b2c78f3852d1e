/// A column value could not be read as the Swift type asked for: it was NULL, of another type, or malformed.
public struct PostgresDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the value could not be decoded.
    public enum Reason: Sendable, Equatable {
        case unexpectedNull
        case typeMismatch(actual: String)
        case malformed(String)
        case noSuchColumn
    }

    /// The column's name as the query returned it.
    public var column: String
    /// The Swift type the caller asked for.
    public var expected: String
    public var reason: Reason

    @usableFromInline init(column: String, expected: String, reason: Reason) {
        self.column = column
        self.expected = expected
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .unexpectedNull:
            return "column \"\(column)\" is NULL, but \(expected) was expected; decode it as an Optional"
        case .typeMismatch(let actual):
            return "column \"\(column)\" has PostgreSQL type \(actual), which cannot be read as \(expected)"
        case .malformed(let why):
            return "column \"\(column)\" could not be read as \(expected): \(why)"
        case .noSuchColumn:
            return "the result has no column named \"\(column)\""
        }
    }
}
