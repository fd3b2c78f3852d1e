import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection that sends a POST at a time and reads back its status, nothing else
/// (no pool, redirects, retries or timers). The sandbox bank sends its webhooks with it: it runs beside the
/// server it calls, so it should cost that server little CPU.
public struct KeepAliveHTTPConnection {
    private let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    public static func connect(host: String, port: Int) async throws -> KeepAliveHTTPConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return KeepAliveHTTPConnection(channel: channel)
    }

    /// Runs `body` with a function that sends a POST and returns the response status, then closes the
    /// connection. The server closing it first is an error (`ChannelError.eof`).
    public func withPoster<T>(
        _ body: (_ post: (_ path: String, _ headers: HTTPHeaders, _ json: String) async throws -> UInt) async throws -> T
    ) async throws -> T {
        try await channel.executeThenClose { inbound, outbound in
            var responses = inbound.makeAsyncIterator()
            return try await body { path, headers, json in
                var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path, headers: headers)
                head.headers.add(name: "Content-Length", value: String(json.utf8.count))
                try await outbound.write(contentsOf: [
                    .head(head), .body(.byteBuffer(ByteBuffer(string: json))), .end(nil),
                ])
                var status: UInt = 0
                while let part = try await responses.next() {
                    switch part {
                    case .head(let response): status = response.status.code
                    case .body: continue
                    case .end: return status
                    }
                }
                throw ChannelError.eof
            }
        }
    }
}
