import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection for a benchmark's virtual client: a request at a time, nothing
/// else (no pool, redirects or retries), so the load generator spends little of the CPU it measures.
struct BenchHTTPConnection {
    private let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    static func connect(host: String, port: Int) async throws -> BenchHTTPConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return BenchHTTPConnection(channel: channel)
    }

    /// Runs `body` with a function that sends a POST and returns the response status.
    func withPoster<T>(_ body: (_ post: (_ path: String, _ headers: HTTPHeaders, _ json: String) async throws -> UInt) async throws -> T)
        async throws -> T
    {
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
                throw BenchError("the server closed the connection")
            }
        }
    }
}
