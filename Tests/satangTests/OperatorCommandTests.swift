import Foundation
import Payments
import PostgresClient
import SatangTestSupport
import Testing

/// `satang callbacks list|redeliver` and `satang exceptions list` as an operator uses them.
@Suite struct OperatorCommandTests {
    @Test func callbacksCanBeListedAndRedelivered() async throws {
        try await withMigratedTestDatabase("opcallbacks") { database, pool in
            let (merchant, _) = try await MerchantRegistry(pool: pool).create(
                MerchantRegistration(code: "OPS", name: "Ops", providers: ["KBANK"]))
            let id = try await pool.transaction { connection in
                try Outbox.append(merchantID: merchant.id, type: "payment.status_changed", payload: "{}", on: connection)
            }
            try await pool.query("UPDATE outbox_events SET failed_at = now(), attempts = 10, last_error = 'HTTP 500'")
            let (status, listed) = try await SatangProcess.run(["callbacks", "list", "--format", "json", "--database-url", database.url])
            #expect(status == 0, "\(listed)")
            let entries = try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]]
            #expect(entries?.first?["state"] as? String == "failed")
            #expect(entries?.first?["id"] as? String == id.uuidString.lowercased())
            let (redeliverStatus, redelivered) = try await SatangProcess.run(
                ["callbacks", "redeliver", id.uuidString, "--database-url", database.url])
            #expect(redeliverStatus == 0, "\(redelivered)")
            let due: Bool = try await pool.query(
                "SELECT failed_at IS NULL AND next_attempt_at <= now() AS due FROM outbox_events").single!.decode("due")
            #expect(due)
            let (unknownStatus, _) = try await SatangProcess.run(
                ["callbacks", "redeliver", UUID().uuidString, "--database-url", database.url])
            #expect(unknownStatus != 0)
        }
    }

    @Test func exceptionsAreListed() async throws {
        try await withMigratedTestDatabase("opexceptions") { database, pool in
            try await pool.query("INSERT INTO reconciliation_exceptions (kind, detail) VALUES ('late_success', '{\"amount\": \"5.00\"}')")
            let (status, output) = try await SatangProcess.run(["exceptions", "list", "--format", "csv", "--database-url", database.url])
            #expect(status == 0, "\(output)")
            #expect(output.contains("late_success"))
        }
    }
}
