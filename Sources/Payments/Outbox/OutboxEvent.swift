import Foundation
import PostgresClient

/// Writes events for the merchant's callback into the outbox, inside the caller's transaction.
public enum Outbox {
    /// Appends an event; its id is stable across delivery attempts, for the receiver to deduplicate.
    @discardableResult
    public static func append(
        merchantID: Int64, type: String, payload: String, on connection: PostgresConnection
    ) throws -> UUID {
        let id = UUID()
        try connection.query(
            "INSERT INTO outbox_events (id, merchant_id, event_type, payload) VALUES ($1::uuid, $2::int8, $3::text, $4::jsonb)",
            [.uuid(id), .int64(merchantID), .string(type), .json(payload)])
        return id
    }
}
