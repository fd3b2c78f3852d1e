import CLibPQ

#if canImport(Glibc)
import Glibc
#endif

/// The non-blocking half of a connection: send a prepared statement without waiting, then let the
/// reactor read the answer when the socket has it. Used only for single statements already prepared
/// on this connection; everything else takes the blocking path on a pool thread.
extension PostgresConnection {
    /// What reading the socket produced so far.
    enum ReadOutcome {
        case needMoreInput
        case finished(Result<PostgresRows, PostgresError>)
    }

    /// The prepared statement's name when this statement can be sent right now without blocking:
    /// the connection is open, idle, quiet, and has prepared exactly this statement before.
    func nonBlockingStatementName(sql: String, wire: [WireParameter]) -> String? {
        guard let handle, PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) == PQTRANS_IDLE,
            socketIsQuiet(handle)
        else { return nil }
        return preparedStatements.name(for: .init(sql: sql, types: wire.map(\.type.oid)))
    }

    /// The socket the reactor watches.
    var socketDescriptor: Int32 { handle.map { PQsocket($0) } ?? -1 }

    /// Queues the statement and flushes what the socket takes; returns true while output is still pending.
    func send(prepared name: String, wire: [WireParameter]) throws(PostgresError) -> Bool {
        guard let handle else { throw .connectionFailure("the connection is closed") }
        if PQisnonblocking(handle) == 0 { PQsetnonblocking(handle, 1) }
        let sent = withParameterPointers(wire) { values, lengths, formats in
            PQsendQueryPrepared(handle, name, Int32(wire.count), values, lengths, formats, 0)
        }
        guard sent == 1 else { throw .connectionFailure(String(cString: PQerrorMessage(handle))) }
        return try flushOutput()
    }

    /// Sends buffered output; true while some is still waiting for the socket.
    func flushOutput() throws(PostgresError) -> Bool {
        guard let handle else { throw .connectionFailure("the connection is closed") }
        switch PQflush(handle) {
        case 0: return false
        case 1: return true
        default: throw .connectionFailure(String(cString: PQerrorMessage(handle)))
        }
    }

    /// Reads what arrived; finished once the statement's result and the end of results are in.
    func readAvailable() -> ReadOutcome {
        guard let handle else { return .finished(.failure(.connectionFailure("the connection is closed"))) }
        guard PQconsumeInput(handle) == 1 else {
            return .finished(.failure(.connectionFailure(String(cString: PQerrorMessage(handle)))))
        }
        while PQisBusy(handle) == 0 {
            guard let result = PQgetResult(handle) else {
                let outcome = pendingOutcome ?? .failure(.connectionFailure("the server sent no result"))
                pendingOutcome = nil
                return .finished(outcome)
            }
            let outcome = Result<PostgresRows, PostgresError> { () throws(PostgresError) in try consume(result) }
            if pendingOutcome == nil { pendingOutcome = outcome }
        }
        return .needMoreInput
    }
}
