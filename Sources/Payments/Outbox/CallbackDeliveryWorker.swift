import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import PostgresClient
import ServiceLifecycle

/// Delivers outbox events to merchants' callback URLs with Standard Webhooks headers
/// (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>`,
/// the secret being the merchant's API secret), a 10-second timeout, only 2xx counting as delivered,
/// and retries on the schedule below for about three days. Every attempt is recorded. At least once:
/// receivers deduplicate by `webhook-id`.
public struct CallbackDeliveryWorker: Service {
    /// Delay before attempt n+1 after attempt n failed: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h.
    public static let retrySchedule: [Int64] = [0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]

    let pool: PostgresPool
    let target: CallbackTarget
    let logger: Logger
    public var pollInterval: Duration = .milliseconds(200)

    public init(pool: PostgresPool, target: CallbackTarget, logger: Logger) {
        self.pool = pool
        self.target = target
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(idle: pollInterval) { try await deliverDue() }
    }

    struct Claimed: Sendable {
        var id: UUID
        var attempt: Int
        var url: String?
        var secret: String
        var payload: String
    }

    /// Claims due events (a 60-second lease, `SKIP LOCKED`), delivers them, records the outcome.
    @discardableResult
    public func deliverDue() async throws -> Int {
        let claimed: [Claimed] = try await pool.transaction { connection in
            let rows = try connection.query(
                """
                UPDATE outbox_events o
                   SET attempts = attempts + 1, next_attempt_at = now() + interval '60 seconds'
                  FROM (SELECT id FROM outbox_events
                         WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
                         ORDER BY next_attempt_at LIMIT 32 FOR UPDATE SKIP LOCKED) AS due,
                       merchants m
                 WHERE o.id = due.id AND m.id = o.merchant_id
                RETURNING o.id, o.attempts, COALESCE(o.target_url, m.callback_url) AS callback_url, m.api_secret,
                          o.payload::text AS payload
                """)
            return try rows.map {
                Claimed(id: try $0.decode("id"), attempt: try $0.decode("attempts"), url: try $0.decode("callback_url"),
                        secret: try $0.decode("api_secret"), payload: try $0.decode("payload"))
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for event in claimed { group.addTask { await deliver(event) } }
        }
        return claimed.count
    }

    private func deliver(_ event: Claimed) async {
        let started = ContinuousClock.now
        var status: Int?
        var error: String?
        if let url = event.url {
            let target = self.target
            let refusal = try? await NIOThreadPool.singleton.runIfActive { target.refusal(for: url) }
            if let refusal {
                error = refusal
            } else {
                let timestamp = String(Int64(Date().timeIntervalSince1970))
                let id = event.id.lowercasedText
                let signed = Data("\(id).\(timestamp).\(event.payload)".utf8)
                let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(event.secret.utf8)))
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "webhook-id", value: id)
                request.headers.add(name: "webhook-timestamp", value: timestamp)
                request.headers.add(name: "webhook-signature", value: "v1," + Data(mac).base64EncodedString())
                request.body = .bytes(ByteBuffer(string: event.payload))
                do {
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                    status = Int(response.status.code)
                    _ = try? await response.body.collect(upTo: 64 * 1024)
                } catch let failure {
                    error = String(describing: failure)
                }
            }
        } else {
            error = Outbox.noCallbackURL
        }
        let delivered = status.map { (200..<300).contains($0) } ?? false
        let elapsed = ContinuousClock.now - started
        let milliseconds = Int64(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let schedule = Self.retrySchedule
        let (httpStatus, failure) = (status, error)
        do {
            try await pool.transaction { connection in
                try connection.query(
                    """
                    INSERT INTO callback_attempts (event_id, attempt, url, http_status, error, duration_ms)
                    VALUES ($1::uuid, $2::int4, $3::text, $4::int4, $5::text, $6::int4)
                    """,
                    [.uuid(event.id), .int32(Int32(event.attempt)), .optional(event.url, PostgresValue.string),
                     .optional(httpStatus.map { Int32($0) }, PostgresValue.int32), .optional(failure, PostgresValue.string),
                     .int32(Int32(min(milliseconds, Int64(Int32.max))))])
                if delivered {
                    try connection.query("UPDATE outbox_events SET delivered_at = now(), last_error = NULL WHERE id = $1::uuid", [.uuid(event.id)])
                } else if event.attempt >= schedule.count {
                    try connection.query("UPDATE outbox_events SET failed_at = now(), last_error = $2::text WHERE id = $1::uuid",
                                         [.uuid(event.id), .string(failure ?? "HTTP \(httpStatus ?? 0)")])
                } else {
                    try connection.query(
                        "UPDATE outbox_events SET next_attempt_at = now() + make_interval(secs => $2::int8), last_error = $3::text WHERE id = $1::uuid",
                        [.uuid(event.id), .int64(schedule[event.attempt]), .string(failure ?? "HTTP \(httpStatus ?? 0)")])
                }
            }
        } catch {
            logger.error("could not record a callback attempt", metadata: ["outbox.event": "\(event.id)"])
        }
    }
}
