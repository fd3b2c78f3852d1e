import CLibPQ

#if canImport(Glibc)
import Glibc
#endif

extension PostgresConnection {
    /// Waits up to `milliseconds` for `NOTIFY`s on the channels this connection `LISTEN`s to, and returns the
    /// channels notified (empty after a quiet wait). Blocks the calling thread: use a thread of its own.
    func waitForNotifications(milliseconds: Int32) throws(PostgresError) -> [String] {
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            throw .connectionFailure("the listening connection is closed")
        }
        var channels = drainNotifications(handle)
        guard channels.isEmpty else { return channels }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, milliseconds)
        guard ready > 0 else { return [] }
        guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else {
            throw .connectionFailure(String(cString: PQerrorMessage(handle)))
        }
        channels = drainNotifications(handle)
        return channels
    }

    private func drainNotifications(_ handle: OpaquePointer) -> [String] {
        var channels: [String] = []
        while let notification = PQnotifies(handle) {
            channels.append(String(cString: notification.pointee.relname))
            PQfreemem(notification)
        }
        return channels
    }
}
