import Payments
import PostgresClient
import SatangTestSupport
import Testing

/// The payout lifecycle in Swift is the table the database enforces.
@Suite struct PayoutStateMachineTests {
    @Test func swiftAndTheDatabaseAgree() async throws {
        try await withMigratedTestDatabase("payoutfsm") { _, pool in
            let rows = try await pool.query("SELECT from_status::text AS f, to_status::text AS t FROM payout_transitions")
            var table: [PayoutStatus: Set<PayoutStatus>] = [:]
            for row in rows {
                let from = try #require(PayoutStatus(rawValue: try row.decode("f")))
                table[from, default: []].insert(try #require(PayoutStatus(rawValue: try row.decode("t"))))
            }
            for status in PayoutStatus.allCases { #expect(status.allowedNext == table[status] ?? [], "\(status)") }
            let enumValues = try await pool.query("SELECT unnest(enum_range(NULL::payout_status))::text AS s")
            #expect(try Set(enumValues.map { try $0.decode("s", as: String.self) }) == Set(PayoutStatus.allCases.map(\.rawValue)))
        }
    }
}
