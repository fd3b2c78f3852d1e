import Foundation
import Ledger
import Payments
import PostgresClient
import SatangTestSupport
import Testing

/// The payment lifecycle as a value, and the same table enforced by the database.
@Suite struct PaymentStateMachineTests {
    @Test(arguments: PaymentStatus.allCases)
    func transitionsFollowTheTable(_ from: PaymentStatus) {
        for to in PaymentStatus.allCases {
            let transition = PaymentTransition.transition(from: from, to: to, actor: "test", reason: "")
            #expect((transition != nil) == from.allowedNext.contains(to), "\(from) → \(to)")
        }
        if from.isTerminal { #expect(from.allowedNext.isEmpty, "terminal statuses are final") }
        #expect(!from.allowedNext.contains(from))
    }

    private func withPayment(_ label: String, _ body: (PostgresPool, UUID) async throws -> Void) async throws {
        try await withMigratedTestDatabase(label) { _, pool in
            let (merchant, _) = try await MerchantRegistry(pool: pool).create(
                MerchantRegistration(code: "SM1", name: "State", providers: ["KBANK"], defaultProvider: "KBANK"))
            let outcome = try await PaymentRegistry(pool: pool).register(
                PaymentRegistration(sourceID: "SM1", sourcePaymentID: "p1", amountText: "100", currency: "THB",
                                    provider: nil, description: nil, metadata: "{}"),
                by: merchant, idempotency: IdempotentRequest(key: "k", method: "POST", path: "/", body: [])
            ) { _ in StoredResponse(status: 202, body: []) }
            guard case .created(let payment, _) = outcome else { Issue.record("not created"); return }
            try await body(pool, payment.id)
        }
    }

    @Test func theDatabaseHoldsTheSameTable() async throws {
        try await withPayment("smtable") { pool, _ in
            let rows = try await pool.query(
                """
                SELECT f::text AS f, t::text AS t
                  FROM unnest(enum_range(NULL::payment_status)) AS f, unnest(enum_range(NULL::payment_status)) AS t
                 WHERE payment_transition_allowed(f, t)
                """)
            var table: [PaymentStatus: Set<PaymentStatus>] = [:]
            for row in rows {
                table[PaymentStatus(rawValue: try row.decode("f"))!, default: []].insert(PaymentStatus(rawValue: try row.decode("t"))!)
            }
            for status in PaymentStatus.allCases { #expect(table[status, default: []] == status.allowedNext, "\(status)") }
        }
    }

    @Test func illegalTransitionsAreRefusedByTheDatabase() async throws {
        try await withPayment("smillegal") { pool, id in
            let updatedAt = "SELECT updated_at FROM payments WHERE id = $1::uuid"
            var lastUpdate = try await pool.query(updatedAt, [.uuid(id)]).single!.decode("updated_at", as: Date.self)
            for status in [PaymentStatus.submitting, .pending, .succeeded] {
                let moved = try await pool.transaction { connection in
                    try PaymentRegistry.apply(id, to: status, actor: "test", reason: "walk", on: connection)
                }
                #expect(moved?.to == status)
                let update = try await pool.query(updatedAt, [.uuid(id)]).single!.decode("updated_at", as: Date.self)
                #expect(update > lastUpdate, "a status change moves updated_at")
                lastUpdate = update
            }
            let refused = try await pool.transaction { connection in
                try PaymentRegistry.apply(id, to: .pending, actor: "test", reason: "back", on: connection)
            }
            #expect(refused == nil)
            for status in ["PENDING", "EXPIRED", "NOT_SENT"] {
                let error = await #expect(throws: PostgresError.self) {
                    try await pool.query("UPDATE payments SET status = $1::text::payment_status WHERE id = $2::uuid",
                                         [.string(status), .uuid(id)])
                }
                #expect(error?.constraint == "payment_transition_is_allowed")
            }
            // A payment's identity, amount and currency never change; what the dispatcher records may.
            for change in ["amount = amount + 1", "currency = 'USD'", "merchant_id = merchant_id + 1", "source_payment_id = 'p2'"] {
                let error = await #expect(throws: PostgresError.self) {
                    try await pool.query("UPDATE payments SET \(change) WHERE id = $1::uuid", [.uuid(id)])
                }
                #expect(error?.constraint == "payment_transition_is_allowed", "\(change)")
            }
            try await pool.query("UPDATE payments SET last_error = 'noted' WHERE id = $1::uuid", [.uuid(id)])
            let deleted = await #expect(throws: PostgresError.self) { try await pool.query("DELETE FROM payments") }
            #expect(deleted?.sqlState == "23001")
            let events: [String] = try await pool.query(
                "SELECT to_status::text AS t FROM payment_events WHERE payment_id = $1::uuid ORDER BY id", [.uuid(id)]
            ).map { try $0.decode("t") }
            #expect(events == ["NOT_SENT", "SUBMITTING", "PENDING", "SUCCEEDED"])
        }
    }
}
