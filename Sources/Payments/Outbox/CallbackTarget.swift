import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Decides whether Satang may call a merchant's callback URL: https only, and never an address on a
/// private, loopback or link-local network (which would let a merchant make Satang reach inside its own
/// network) — unless the server runs with the explicit development flag.
public struct CallbackTarget: Sendable {
    public var allowInsecure: Bool

    public init(allowInsecure: Bool) { self.allowInsecure = allowInsecure }

    /// `nil` when the URL may be called, else why not. Resolves the host name (blocking: call off the cooperative pool).
    public func refusal(for url: String) -> String? {
        guard let components = URLComponents(string: url),
            let host = components.host?.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), !host.isEmpty
        else {
            return "callback URL \(url) is not a URL with a host"
        }
        if allowInsecure { return components.scheme == "https" || components.scheme == "http" ? nil : "unsupported scheme" }
        guard components.scheme == "https" else { return "callback URLs must use https" }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &results) == 0, let first = results else {
            return "callback host \(host) does not resolve"
        }
        defer { freeaddrinfo(results) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let address = current.pointee.ai_addr, Self.isInternal(address) {
                return "callback host \(host) resolves to a private, loopback or link-local address"
            }
            entry = current.pointee.ai_next
        }
        return nil
    }

    static func isInternal(_ address: UnsafeMutablePointer<sockaddr>) -> Bool {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let ip = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
            let a = ip >> 24, b = (ip >> 16) & 0xFF
            return a == 10 || a == 127 || a == 0 || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168)
                || (a == 169 && b == 254) || (a == 100 && (64...127).contains(b))
        case AF_INET6:
            let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
            }
            let loopback = bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1
            let unspecified = bytes.allSatisfy { $0 == 0 }
            let linkLocal = bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80
            let uniqueLocal = (bytes[0] & 0xFE) == 0xFC
            let mappedV4 = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            return loopback || unspecified || linkLocal || uniqueLocal || mappedV4
        default:
            return true
        }
    }
}
