import NIOCore
import NIOHTTP1
import NIOPosix

/// The benchmarks' load generator: virtual clients, each on its own keep-alive HTTP/1.1 connection, that send
/// their next request the moment the answer to the last one has arrived (a closed loop, as pgbench's clients).
///
/// They run as plain channel handlers on an event loop of their own, with no task or async stream per
/// request: the load generator shares the machine with the server it measures, as pgbench's client does,
/// and should take as little of it as pgbench's one C thread.
struct ClosedLoopClients: Sendable {
    /// The request a client sends next, or `nil` when it is done. Called on the client's event loop.
    typealias NextRequest = @Sendable (_ client: Int, _ index: Int) -> (head: HTTPRequestHead, body: ByteBuffer)?

    let group: any EventLoopGroup
    let host: String
    let port: Int

    /// Runs `clients` virtual clients until each has no next request; returns every latency in nanoseconds.
    /// A status other than `expectedStatus`, or a connection that fails, fails the whole run.
    func run(clients: Int, expectedStatus: UInt, next: @escaping NextRequest) async throws -> [Int64] {
        try await withThrowingTaskGroup(of: [Int64].self) { group in
            for client in 0..<clients {
                group.addTask { try await runClient(client, expectedStatus: expectedStatus, next: next) }
            }
            return try await group.reduce(into: [Int64]()) { $0.append(contentsOf: $1) }
        }
    }

    private func runClient(_ client: Int, expectedStatus: UInt, next: @escaping NextRequest) async throws -> [Int64] {
        let eventLoop = group.next()
        let done = eventLoop.makePromise(of: [Int64].self)
        let connected = ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        ClosedLoopClientHandler(client: client, expectedStatus: expectedStatus, next: next, done: done))
                }
            }
            .connect(host: host, port: port)
        connected.cascadeFailure(to: done)
        return try await done.futureResult.get()
    }
}

/// One virtual client: sends a request, reads its answer, records the latency, sends the next.
private final class ClosedLoopClientHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let client: Int
    private let expectedStatus: UInt
    private let next: ClosedLoopClients.NextRequest
    private let done: EventLoopPromise<[Int64]>
    private var index = 0
    private var sentAt = NIODeadline.now()
    private var status: UInt = 0
    private var latencies: [Int64] = []

    init(client: Int, expectedStatus: UInt, next: @escaping ClosedLoopClients.NextRequest, done: EventLoopPromise<[Int64]>) {
        self.client = client
        self.expectedStatus = expectedStatus
        self.next = next
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        sendNext(context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let response): status = response.status.code
        case .body: break
        case .end:
            latencies.append(Int64((NIODeadline.now() - sentAt).nanoseconds))
            guard status == expectedStatus else {
                finish(context: context, .failure(BenchError("a request was answered HTTP \(status), not \(expectedStatus)")))
                return
            }
            sendNext(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(ChannelError.eof)  // ignored once the client has finished
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(context: context, .failure(error))
    }

    private func sendNext(context: ChannelHandlerContext) {
        guard let request = next(client, index) else {
            finish(context: context, .success(latencies))
            return
        }
        index += 1
        var (head, body) = (request.head, request.body)
        head.headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        sentAt = .now()
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func finish(context: ChannelHandlerContext, _ result: Result<[Int64], any Error>) {
        done.completeWith(result)
        context.close(promise: nil)
    }
}
