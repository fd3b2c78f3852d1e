import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// SANDBOX ONLY — the simulated bank's outgoing webhooks, sent over keep-alive HTTP/1.1 connections to
/// Satang's own address.
///
/// A fixed set of lanes, each one connection sending one webhook at a time, share a queue. A bank sends
/// many webhooks at once, so there are many lanes; and since the simulated bank runs on Satang's own
/// machine, each send is a plain write and read, not a general-purpose client's request (pool, redirects,
/// timers), so that the bank's side of the loop takes little of the CPU the loop measures.
final class SandboxWebhookSender: Sendable {
    struct Webhook: Sendable {
        var provider: ProviderCode
        var body: String
        /// Not sent before this: a bank answers the submission first and reports the outcome a moment later.
        var due: ContinuousClock.Instant
    }

    /// Webhooks waiting for a lane, and lanes waiting for a webhook.
    private struct Queue {
        var webhooks = CircularBuffer<Webhook>()
        var idleLanes = CircularBuffer<CheckedContinuation<Webhook?, Never>>()
        var finished = false
    }

    private let queue = Mutex(Queue())
    private let secrets: [ProviderCode: String]
    private let logger: Logger
    /// The wait before each attempt: a webhook answered 409 (not PENDING yet) is tried again after it.
    let delay: Duration
    static let lanes = 256
    static let attempts = 40

    init(secrets: [ProviderCode: String], delay: Duration, logger: Logger) {
        self.secrets = secrets
        self.delay = delay
        self.logger = logger
    }

    func send(provider: ProviderCode, body: String) {
        let webhook = Webhook(provider: provider, body: body, due: .now + delay)
        let lane: CheckedContinuation<Webhook?, Never>? = queue.withLock { queue in
            guard !queue.finished else { return nil }
            if let lane = queue.idleLanes.popFirst() { return lane }
            queue.webhooks.append(webhook)
            return nil
        }
        lane?.resume(returning: webhook)
    }

    /// Sends until `finish()`, then delivers what is queued and returns.
    func run(target: @escaping @Sendable () -> (host: String, port: Int)) async {
        await withDiscardingTaskGroup { group in
            for _ in 0..<Self.lanes {
                group.addTask { await self.runLane(target: target) }
            }
        }
    }

    func finish() {
        let lanes = queue.withLock { queue in
            queue.finished = true
            defer { queue.idleLanes.removeAll() }
            return Array(queue.idleLanes)
        }
        for lane in lanes { lane.resume(returning: nil) }
    }

    /// The next webhook to send; `nil` once finished, or when the sender is cancelled (then every lane stops).
    private func next() async -> Webhook? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: Webhook?? = queue.withLock { queue in
                    if let webhook = queue.webhooks.popFirst() { return .some(webhook) }
                    if queue.finished || Task.isCancelled { return .some(nil) }
                    queue.idleLanes.append(continuation)
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            finish()
        }
    }

    /// One connection's life: sends webhooks one after the other, reconnecting after a failure; a webhook
    /// is given up after `attempts` tries, as a bank's retries would run out.
    private func runLane(target: @Sendable () -> (host: String, port: Int)) async {
        var current = await next()
        var attempt = 0
        while current != nil, !Task.isCancelled {
            var connected = false
            do {
                let (host, port) = target()
                let connection = try await KeepAliveHTTPConnection.connect(host: host, port: port)
                connected = true
                try await connection.withPoster { post in
                    while let webhook = current, !Task.isCancelled {
                        attempt += 1
                        try? await Task.sleep(until: attempt == 1 ? webhook.due : .now + delay)
                        let status = try await send(webhook, host: host, with: post)
                        if (200..<300).contains(status) || attempt >= Self.attempts {
                            if attempt >= Self.attempts { giveUp(webhook) }
                            attempt = 0
                            current = await next()
                        }
                    }
                }
            } catch {
                guard !Task.isCancelled else { return }
                // A refused connection counts as an attempt; a failed send was counted when it started.
                if !connected {
                    attempt += 1
                    try? await Task.sleep(for: delay)
                }
                if attempt >= Self.attempts, let failed = current {
                    giveUp(failed)
                    attempt = 0
                    current = await next()
                }
            }
        }
    }

    /// Signs the webhook as the provider does (HMAC-SHA256 over `timestamp.body`) and posts it.
    private func send(
        _ webhook: Webhook, host: String, with post: (String, HTTPHeaders, String) async throws -> UInt
    ) async throws -> UInt {
        guard let secret = secrets[webhook.provider] else { return 200 }  // nowhere to send it: drop it
        let timestamp = String(Int64(Date().timeIntervalSince1970 * 1000))
        var message = Data(timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message.append(Data(webhook.body.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        let headers: HTTPHeaders = [
            "Host": host, "Content-Type": "application/json", "X-Timestamp": timestamp, "X-Signature": "sha256=" + mac.lowercaseHex,
        ]
        return try await post("/api/v1/webhooks/providers/\(webhook.provider.rawValue)", headers, webhook.body)
    }

    private func giveUp(_ webhook: Webhook) {
        logger.warning("sandbox webhook not accepted after \(Self.attempts) attempts", metadata: ["provider": "\(webhook.provider.rawValue)"])
    }
}
