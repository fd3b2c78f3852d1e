import CLibPQ

#if canImport(Glibc)
import Glibc
#endif

/// One libpq connection. Every method blocks the calling thread until the server answers.
///
/// Invariant that makes `@unchecked Sendable` sound: a connection has exactly one borrower at a time.
/// The pool hands it to one task, whose work runs on one thread-pool thread, and takes it back
/// before anyone else may use it. Never call these methods from Swift's cooperative thread pool.
public final class PostgresConnection: @unchecked Sendable {
    let configuration: PostgresConfiguration
    private(set) var handle: OpaquePointer?
    private(set) var preparedStatements = PreparedStatementCache()
    /// The first result of a statement read without blocking, kept until libpq signals its end.
    var pendingOutcome: Result<PostgresRows, PostgresError>?

    /// How many times this connection object has (re)connected; tests use it to see a replacement happen.
    public private(set) var connectCount = 0

    /// A closed connection; it connects on first use.
    public init(configuration: PostgresConfiguration) {
        self.configuration = configuration
    }

    deinit { close() }

    /// Opens the connection now; throws a connection failure naming libpq's reason.
    public static func connect(_ configuration: PostgresConfiguration) throws(PostgresError) -> PostgresConnection {
        let connection = PostgresConnection(configuration: configuration)
        try connection.open()
        return connection
    }

    /// Makes sure the connection can take a statement: opens it, or replaces it when the server dropped it
    /// (after a restart, the server's goodbye is already waiting on the socket).
    public func ensureUsable() throws(PostgresError) {
        guard let handle else { return try open() }
        if PQstatus(handle) != CONNECTION_OK || !socketIsQuiet(handle) {
            close()
            return try open()
        }
        if PQtransactionStatus(handle) != PQTRANS_IDLE {
            // A previous borrower left a transaction open (it was cancelled mid-way); nothing of it may leak.
            _ = try? run(simple: "ROLLBACK")
        }
    }

    /// Whether the connection is open and libpq believes it healthy.
    public var isOpen: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Whether a transaction is open on this connection (`BEGIN` was sent and not yet ended).
    public var isInTransaction: Bool {
        guard let handle else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Whether the open transaction has failed and can only be rolled back.
    var isTransactionFailed: Bool {
        guard let handle else { return false }
        return PQtransactionStatus(handle) == PQTRANS_INERROR
    }

    /// Closes the connection; `PQfinish` also after a failed connect, as libpq requires.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
        preparedStatements.removeAll()
    }

    /// The server process's id, for `pg_terminate_backend` in tests and for logs.
    public var backendPID: Int32 {
        guard let handle else { return 0 }
        return PQbackendPID(handle)
    }

    // MARK: Statements

    /// Runs one parameterised statement and returns its rows. The statement is prepared once per connection.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> PostgresRows {
        try ensureOpenHandle()
        let wire = try encode(parameters)
        let key = PreparedStatementCache.Key(sql: sql, types: wire.map(\.type.oid))
        do {
            return try execute(key: key, wire: wire)
        } catch let error where preparedStatementIsStale(error) && !isInTransaction {
            // Someone ran DEALLOCATE or changed a table under a cached plan; prepare afresh, once.
            preparedStatements.removeAll()
            _ = try? run(simple: "DEALLOCATE ALL")
            return try execute(key: key, wire: wire)
        }
    }

    /// Runs trusted SQL text that may hold several statements (migrations, session setup). Never pass values in it.
    public func executeScript(_ sql: String) throws(PostgresError) {
        try ensureOpenHandle()
        _ = try run(simple: sql)
    }

    // MARK: Internals

    private func open() throws(PostgresError) {
        close()
        let parameters = configuration.connectionParameters
        let connection = withCStrings(parameters.map(\.0)) { keywords in
            withCStrings(parameters.map(\.1)) { values in
                PQconnectdbParams(keywords, values, 1)
            }
        }
        guard let connection else { throw .connectionFailure("libpq could not allocate a connection") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw .connectionFailure(message)
        }
        handle = connection
        connectCount += 1
        // Server notices (e.g. "already exists, skipping") are not errors; keep them out of stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        do {
            _ = try run(simple: configuration.sessionSetup)
        } catch {
            close()
            throw error
        }
    }

    private func ensureOpenHandle() throws(PostgresError) {
        if handle == nil { try open() }
    }

    /// Data waiting on an idle connection means the server spoke unasked. Satang never LISTENs, so that is
    /// a termination notice (restart, `pg_terminate_backend`) or a connection already closed: replace it.
    func socketIsQuiet(_ handle: OpaquePointer) -> Bool {
        let socket = PQsocket(handle)
        guard socket >= 0 else { return false }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 0
    }

    func encode(_ parameters: [PostgresValue]) throws(PostgresError) -> [WireParameter] {
        var wire: [WireParameter] = []
        wire.reserveCapacity(parameters.count)
        for (index, parameter) in parameters.enumerated() {
            wire.append(try parameter.wireParameter(index: index))
        }
        return wire
    }

    private func execute(key: PreparedStatementCache.Key, wire: [WireParameter]) throws(PostgresError) -> PostgresRows {
        guard let handle else { throw .connectionFailure("the connection is closed") }
        let name: String
        if let cached = preparedStatements.name(for: key) {
            name = cached
        } else {
            if preparedStatements.isFull {
                _ = try run(simple: "DEALLOCATE ALL")
                preparedStatements.removeAll()
            }
            name = preparedStatements.nextName()
            let types = key.types
            let prepared = types.withUnsafeBufferPointer { typeBuffer in
                PQprepare(handle, name, key.sql, Int32(types.count), typeBuffer.baseAddress)
            }
            _ = try consume(prepared)
            preparedStatements.insert(name, for: key)
        }
        let result = withParameterPointers(wire) { values, lengths, formats in
            PQexecPrepared(handle, name, Int32(wire.count), values, lengths, formats, 0)
        }
        return try consume(result)
    }

    /// Whether `error` means a prepared statement no longer matches the server (see `query`).
    func isStalePlan(_ error: PostgresError) -> Bool { preparedStatementIsStale(error) }

    /// Drops every prepared statement, on the server and in the cache; the next run prepares afresh.
    func forgetPreparedStatements() {
        preparedStatements.removeAll()
        _ = try? run(simple: "DEALLOCATE ALL")
    }

    private func preparedStatementIsStale(_ error: PostgresError) -> Bool {
        error.sqlState == "26000" || (error.sqlState == "0A000" && error.message.contains("cached plan"))
    }

    /// Runs SQL text through the simple-query protocol and returns the last statement's rows.
    @discardableResult
    func run(simple sql: String) throws(PostgresError) -> PostgresRows {
        guard let handle else { throw .connectionFailure("the connection is closed") }
        return try consume(PQexec(handle, sql))
    }

    /// Turns a libpq result into rows or a `PostgresError`, and always frees it.
    func consume(_ result: OpaquePointer?) throws(PostgresError) -> PostgresRows {
        guard let result else {
            throw .connectionFailure(handle.map { String(cString: PQerrorMessage($0)) } ?? "no connection")
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return rows(of: result)
        default:
            throw error(from: result)
        }
    }

    private func rows(of result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var columns: [PostgresColumn] = []
        columns.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            columns.append(
                PostgresColumn(
                    name: String(cString: PQfname(result, Int32(column))),
                    type: PostgresDataType(oid: PQftype(result, Int32(column)))))
        }
        var cells: [String?] = []
        cells.reserveCapacity(rowCount * columnCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    cells.append(nil)
                } else {
                    cells.append(String(cString: PQgetvalue(result, row, column)))
                }
            }
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresRows(storage: .init(columns: columns, cells: cells, rowCount: rowCount), affectedRows: affected)
    }

    private func error(from result: OpaquePointer) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let value = PQresultErrorField(result, code) else { return nil }
            return String(cString: value)
        }
        let connectionLost = handle.map { PQstatus($0) != CONNECTION_OK } ?? true
        let message = field(satang_PG_DIAG_MESSAGE_PRIMARY) ?? String(cString: PQresultErrorMessage(result))
        let sqlState = field(satang_PG_DIAG_SQLSTATE) ?? (connectionLost ? "08006" : "XX000")
        return PostgresError(
            sqlState: sqlState,
            message: message.trimmingTrailingWhitespace(),
            detail: field(satang_PG_DIAG_MESSAGE_DETAIL),
            hint: field(satang_PG_DIAG_MESSAGE_HINT),
            constraint: field(satang_PG_DIAG_CONSTRAINT_NAME),
            table: field(satang_PG_DIAG_TABLE_NAME),
            column: field(satang_PG_DIAG_COLUMN_NAME))
    }
}

/// Calls `body` with a NULL-terminated array of C strings that lives only for the call.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let storage = strings.map { strdup($0) }
    defer { storage.forEach { free($0) } }
    var pointers: [UnsafePointer<CChar>?] = storage.map { $0.map { UnsafePointer($0) } }
    pointers.append(nil)
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// Lays every parameter out in one buffer and calls `body` with libpq's value, length and format arrays.
/// The pointers are valid only inside `body`.
func withParameterPointers<R>(
    _ parameters: [WireParameter],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
) -> R {
    var buffer: [UInt8] = []
    var offsets: [Int?] = []
    var lengths: [Int32] = []
    var formats: [Int32] = []
    offsets.reserveCapacity(parameters.count)
    for parameter in parameters {
        formats.append(parameter.format)
        if let bytes = parameter.bytes {
            offsets.append(buffer.count)
            lengths.append(Int32(bytes.count))
            buffer.append(contentsOf: bytes)
            buffer.append(0)  // text values must be NUL-terminated; binary ones use the length
        } else {
            offsets.append(nil)
            lengths.append(0)
        }
    }
    if buffer.isEmpty { buffer.append(0) }
    return buffer.withUnsafeBufferPointer { base in
        let start = UnsafeRawPointer(base.baseAddress!)
        let values: [UnsafePointer<CChar>?] = offsets.map { offset in
            offset.map { start.advanced(by: $0).assumingMemoryBound(to: CChar.self) }
        }
        return values.withUnsafeBufferPointer { valuePointers in
            lengths.withUnsafeBufferPointer { lengthPointers in
                formats.withUnsafeBufferPointer { formatPointers in
                    body(valuePointers.baseAddress, lengthPointers.baseAddress, formatPointers.baseAddress)
                }
            }
        }
    }
}
