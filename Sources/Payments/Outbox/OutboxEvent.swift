import Foundation
import PostgresClient

/// An event for the merchant's callback, about to be written to the outbox.
public struct OutboxEvent: Sendable {
    /// Stable across delivery attempts, for the receiver to deduplicate.
    public var id: UUID
    public var merchantID: Int64
    public var type: String
    /// The JSON body delivered to the merchant.
    public var payload: String
    /// Where to deliver it when not the merchant's own callback URL (a deposit's or payout's `callback_url`).
    public var targetURL: String?

    public init(id: UUID = .timeOrdered(), merchantID: Int64, type: String, payload: String, targetURL: String? = nil) {
        self.id = id
        self.merchantID = merchantID
        self.type = type
        self.payload = payload
        self.targetURL = targetURL
    }
}

/// Writes events for the merchant's callback into the outbox, inside the caller's transaction.
public enum Outbox {
    /// Why an event was not delivered when its merchant has nowhere to deliver it.
    static let noCallbackURL = "the merchant has no callback URL"

    /// Appends an event and returns its id.
    @discardableResult
    public static func append(
        merchantID: Int64, type: String, payload: String, on connection: PostgresConnection
    ) throws -> UUID {
        let event = OutboxEvent(merchantID: merchantID, type: type, payload: payload)
        try append([event], on: connection)
        return event.id
    }

    /// Appends many events in one statement. An event for a merchant without a callback URL is kept (it
    /// can be redelivered once there is one) but settled at once, so the delivery worker never spends a try on it.
    public static func append(_ events: [OutboxEvent], on connection: PostgresConnection) throws {
        guard !events.isEmpty else { return }
        try connection.query(
            """
            INSERT INTO outbox_events (id, merchant_id, event_type, payload, target_url, failed_at, last_error)
            SELECT e.id::uuid, e.merchant_id, e.event_type, e.payload::jsonb, e.target_url,
                   CASE WHEN COALESCE(e.target_url, m.callback_url) IS NULL THEN now() END,
                   CASE WHEN COALESCE(e.target_url, m.callback_url) IS NULL THEN '\(noCallbackURL)' END
              FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::text[])
                   WITH ORDINALITY AS e(id, merchant_id, event_type, payload, target_url, n)
              JOIN merchants m ON m.id = e.merchant_id
             ORDER BY e.n
            """,
            [.stringArray(events.map(\.id.lowercasedText)), .int64Array(events.map(\.merchantID)),
             .stringArray(events.map(\.type)), .stringArray(events.map(\.payload)), .stringArray(events.map(\.targetURL))])
    }
}
