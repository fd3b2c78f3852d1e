/// A column of a query result: its name and PostgreSQL type.
public struct PostgresColumn: Sendable, Equatable {
    public var name: String
    public var type: PostgresDataType
}

/// The rows a statement returned, copied out of libpq's result so they outlive it.
public struct PostgresRows: Sendable, RandomAccessCollection {
    @usableFromInline final class Storage: Sendable {
        @usableFromInline let columns: [PostgresColumn]
        @usableFromInline let columnIndex: [String: Int]
        /// Row-major cells; `nil` is SQL NULL.
        @usableFromInline let cells: [String?]
        let rowCount: Int

        init(columns: [PostgresColumn], cells: [String?], rowCount: Int) {
            self.columns = columns
            var index: [String: Int] = [:]
            for (position, column) in columns.enumerated() where index[column.name] == nil {
                index[column.name] = position
            }
            self.columnIndex = index
            self.cells = cells
            self.rowCount = rowCount
        }
    }

    let storage: Storage
    /// For INSERT, UPDATE, DELETE and the like: how many rows the statement touched.
    public let affectedRows: Int

    init(storage: Storage, affectedRows: Int) {
        self.storage = storage
        self.affectedRows = affectedRows
    }

    public var columns: [PostgresColumn] { storage.columns }
    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.rowCount }
    public subscript(position: Int) -> PostgresRow { PostgresRow(storage: storage, row: position) }

    /// The only row, or `nil` when there is none; more than one row is a programming error in the statement.
    public var single: PostgresRow? {
        precondition(count <= 1, "expected at most one row, got \(count)")
        return first
    }
}

/// One row of a result; columns are read by name or position with a type checked against the column's.
///
/// The readers are inlinable so that each caller's module specialises them for the type it reads: called
/// generically across the module boundary, every read looked its type's metadata up at run time (a payment
/// on its way to SUCCEEDED reads some fifty columns).
public struct PostgresRow: Sendable {
    @usableFromInline let storage: PostgresRows.Storage
    @usableFromInline let row: Int

    /// Reads column `name` as `T`. A NULL is an error unless `T` is Optional.
    @inlinable public func decode<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws(PostgresDecodingError) -> T {
        guard let column = storage.columnIndex[name] else {
            throw PostgresDecodingError(column: name, expected: "\(T.self)", reason: .noSuchColumn)
        }
        return try decode(column: column, as: type)
    }

    /// Reads the column at `column` (0-based) as `T`.
    @inlinable public func decode<T: PostgresDecodable>(column: Int, as type: T.Type = T.self) throws(PostgresDecodingError) -> T {
        guard column >= 0, column < storage.columns.count else {
            throw PostgresDecodingError(column: "#\(column)", expected: "\(T.self)", reason: .noSuchColumn)
        }
        let info = storage.columns[column]
        guard T.accepts(info.type) else {
            throw PostgresDecodingError(
                column: info.name, expected: "\(T.self)", reason: .typeMismatch(actual: info.type.description))
        }
        guard let text = storage.cells[row * storage.columns.count + column] else {
            guard let null = T.decodedNull else {
                throw PostgresDecodingError(column: info.name, expected: "\(T.self)", reason: .unexpectedNull)
            }
            return null
        }
        do {
            return try T.decode(text: text, type: info.type)
        } catch {
            throw PostgresDecodingError(column: info.name, expected: "\(T.self)", reason: .malformed(error.reason))
        }
    }

    /// Whether the column holds SQL NULL.
    public func isNull(_ name: String) -> Bool {
        guard let column = storage.columnIndex[name] else { return true }
        return storage.cells[row * storage.columns.count + column] == nil
    }
}
