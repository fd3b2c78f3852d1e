import Foundation
import Hummingbird
import Payments

/// Behind a load balancer the peer is the balancer: when the peer is one of the configured trusted proxies,
/// the client is the right-most `X-Forwarded-For` address that is not itself a trusted proxy. Without
/// trusted proxies the header is ignored (anyone can write it), and allow-lists see the peer.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = SatangRequestContext
    let trustedProxies: [String]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.remoteAddress = Self.client(peer: context.remoteAddress, forwardedFor: request.headers[values: .init("X-Forwarded-For")!],
                                            trusted: trustedProxies)
        return try await next(request, context)
    }

    static func client(peer: String?, forwardedFor: [String], trusted: [String]) -> String? {
        func isTrusted(_ address: String) -> Bool { trusted.contains { CIDRBlock.contains($0, address: address) } }
        guard let peer, isTrusted(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() where !isTrusted(hop) { return hop }
        return peer
    }
}
