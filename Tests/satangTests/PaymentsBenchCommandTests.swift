import Foundation
import SatangTestSupport
import Testing

/// `satang bench payments` end to end on a tiny scale: its virtual clients register payments over HTTP (on a
/// server without a dispatcher, then on one with it), the dispatcher submits the first runs' backlog, the
/// sandbox bank confirms the full loop's payments, pgbench runs, and every figure is printed.
/// (The figures themselves are for the closing notes, not for a test: this checks that the bench works.)
@Suite struct PaymentsBenchCommandTests {
    @Test func theBenchRunsEveryMeasurementAndPrintsItsFigures() async throws {
        try await withTestDatabase("benchpay") { database, _ in
            let (status, output) = try await SatangProcess.run([
                "bench", "payments", "--seconds", "1", "--concurrency", "2,4", "--loop", "60", "--loop-clients", "3", "--history", "400",
                "--database-url", database.url,
            ])
            #expect(status == 0, "\(output)")
            for line in [
                "registrations,   2 clients:", "registrations,   4 clients:", "registrations,   4 clients, dispatcher running:",
                "dispatcher alone: submitted the ", "dispatcher backlog of those runs submitted after",
                "full loop (register → sandbox → webhook → SUCCEEDED + ledger + receipt), one merchant, 3 clients:", "% busy",
                "pgbench -b tpcb-like, 8 clients, scale 10:", "CPU per transaction: machine",
                "ratio registrations/s (2 clients) ÷ tps:", "; with the dispatcher running:", "ratio confirmed payments/s ÷ tps:",
            ] {
                #expect(output.contains(line), "missing \"\(line)\" in:\n\(output)")
            }
            #expect(output.components(separatedBy: "CPU per operation: machine").count - 1 == 6, "\(output)")
        }
    }
}
