import Crypto
import Foundation

/// A merchant's idempotency key and the fingerprint of the request it came with.
public struct IdempotentRequest: Sendable {
    public var key: String
    /// SHA-256 of method, path and body: the same key with another request is refused.
    public var fingerprint: [UInt8]

    public init(key: String, method: String, path: String, body: [UInt8]) {
        self.key = key
        var hasher = SHA256()
        hasher.update(data: Data(method.utf8))
        hasher.update(data: Data([0]))
        hasher.update(data: Data(path.utf8))
        hasher.update(data: Data([0]))
        hasher.update(data: Data(body))
        self.fingerprint = Array(hasher.finalize())
    }
}

/// A response to keep with the key: its status code and exact bytes.
public struct StoredResponse: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}
