import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import NIOCore
import Payments
import PostgresClient
import SatangTestSupport
import Testing

/// Register → PENDING → signed provider webhook → SUCCEEDED with ledger entry, receipt and outbox event,
/// all or nothing; duplicate webhooks change nothing; a late success is kept as an exception.
@Suite struct PaymentConfirmationTests {
    static let providerSecret = "kbank-webhook-secret-for-tests-0123456789"

    private func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any] ?? [:]
    }

    private func webhookHeaders(_ body: String, secret: String = providerSecret) -> HTTPFields {
        let timestamp = String(Int64(Date().timeIntervalSince1970 * 1000))
        return [.contentType: "application/json", HTTPField.Name("X-Timestamp")!: timestamp,
                HTTPField.Name("X-Signature")!: hmac(secret: secret, message: timestamp + "." + body)]
    }

    @Test func aConfirmedPaymentPostsTheLedgerIssuesAReceiptAndQueuesACallback() async throws {
        try await withMigratedTestDatabase("payconfirm", poolSize: 6) { _, pool in
            let (merchant, credentials) = try await MerchantRegistry(pool: pool).create(MerchantRegistration(
                code: "TESTSRC", name: "Test Source Co., Ltd.", taxID: "0105556123456", address: "1 Sukhumvit Rd",
                providers: ["KBANK"], defaultProvider: "KBANK", feePercent: "1.50"))
            let app = buildApplication(
                settings: ServerSettings(port: 0, providerSecrets: ["KBANK": Self.providerSecret]), pool: pool,
                logger: Logger(label: "test"))
            try await app.test(.live) { client in
                var paymentIDs: [UUID] = []
                for (index, amount) in ["1070", "107.00"].enumerated() {
                    let body = #"{"sourceId":"TESTSRC","sourcePaymentId":"ORDER-\#(index)","amount":\#(amount),"currency":"THB"}"#
                    let created = try await client.execute(
                        uri: "/api/v1/payments", method: .post,
                        headers: [HTTPField.Name("X-API-Key")!: credentials.apiKey, HTTPField.Name("X-Idempotency-Key")!: "k\(index)"],
                        body: ByteBuffer(string: body))
                    let id = try #require(UUID(uuidString: try json(created.body)["id"] as? String ?? ""))
                    paymentIDs.append(id)
                }
                // Too early: the payment is not waiting for the provider yet, so the provider must retry.
                let early = #"{"eventId":"evt-0","paymentId":"\#(paymentIDs[0])","status":"SUCCEEDED"}"#
                let tooEarly = try await client.execute(uri: "/api/v1/webhooks/providers/KBANK", method: .post,
                                                        headers: webhookHeaders(early), body: ByteBuffer(string: early))
                #expect(tooEarly.status == .conflict)
                for id in paymentIDs {
                    for status in [PaymentStatus.submitting, .pending] {
                        _ = try await pool.transaction { try PaymentRegistry.apply(id, to: status, actor: "test", reason: "", on: $0) }
                    }
                }
                let success = #"{"eventId":"evt-1","paymentId":"\#(paymentIDs[0])","status":"SUCCEEDED","payerName":"Somchai"}"#
                let forged = try await client.execute(uri: "/api/v1/webhooks/providers/KBANK", method: .post,
                                                      headers: webhookHeaders(success, secret: "wrong"), body: ByteBuffer(string: success))
                #expect(forged.status == .unauthorized)
                let confirmed = try await client.execute(uri: "/api/v1/webhooks/providers/KBANK", method: .post,
                                                         headers: webhookHeaders(success), body: ByteBuffer(string: success))
                #expect(confirmed.status == .ok)
                #expect(try json(confirmed.body)["result"] as? String == "succeeded")
                let again = try await client.execute(uri: "/api/v1/webhooks/providers/KBANK", method: .post,
                                                     headers: webhookHeaders(success), body: ByteBuffer(string: success))
                #expect(try json(again.body)["result"] as? String == "duplicate")

                let second = #"{"eventId":"evt-2","paymentId":"\#(paymentIDs[1])","status":"SUCCEEDED"}"#
                _ = try await client.execute(uri: "/api/v1/webhooks/providers/KBANK", method: .post,
                                             headers: webhookHeaders(second), body: ByteBuffer(string: second))

                // The ledger: gross at KBANK, 1.5 % fee earned, net owed to the merchant.
                let ledger = Ledger(pool: pool)
                let available = try await ledger.account(book: merchant.bookID, code: AccountCode.merchantAvailable)
                #expect(available.normalBalance.decimalText == "1159.34")  // (1070 − 16.05) + (107 − 1.61: 1.605 rounds half up)
                let fees = try await ledger.account(book: merchant.bookID, code: AccountCode.fees)
                #expect(fees.normalBalance.decimalText == "17.66")
                #expect(try await ledger.trialBalance(book: merchant.bookID).totals[0].balance.minorUnits == 0)

                // Receipts: consecutive numbers, VAT 7 % inside the amount, base + VAT = total.
                let receipts = try await pool.query(
                    "SELECT number, payer, total, base, vat FROM receipts ORDER BY sequence")
                #expect(try receipts.map { try $0.decode("number", as: String.self) }.allSatisfy { $0.hasSuffix("-000001") || $0.hasSuffix("-000002") })
                #expect(try receipts[0].decode("payer", as: String?.self) == "Somchai")
                #expect(try receipts[0].decode("base", as: Int64.self) == 100_000)
                #expect(try receipts[0].decode("vat", as: Int64.self) == 7_000)
                let events: Int = try await pool.query(
                    "SELECT count(*) AS n FROM outbox_events WHERE payload->>'status' = 'SUCCEEDED'").single!.decode("n")
                #expect(events == 2)
                let shown = try await client.execute(uri: "/api/v1/payments/\(paymentIDs[0])", method: .get,
                                                     headers: [HTTPField.Name("X-API-Key")!: credentials.apiKey])
                #expect(try json(shown.body)["status"] as? String == "SUCCEEDED")
            }
        }
    }

    @Test func aSuccessForAnExpiredPaymentIsKeptAsAnException() async throws {
        try await withMigratedTestDatabase("paylate", poolSize: 4) { _, pool in
            let (merchant, _) = try await MerchantRegistry(pool: pool).create(
                MerchantRegistration(code: "LATE", name: "Late", providers: ["KBANK"], defaultProvider: "KBANK"))
            let outcome = try await PaymentRegistry(pool: pool).register(
                PaymentRegistration(sourceID: "LATE", sourcePaymentID: "p1", amountText: "50", currency: "THB",
                                    provider: nil, description: nil, metadata: "{}"),
                by: merchant, idempotency: IdempotentRequest(key: "k", method: "POST", path: "/", body: [])
            ) { _ in StoredResponse(status: 202, body: []) }
            guard case .created(let payment, _) = outcome else { Issue.record("not created"); return }
            _ = try await pool.transaction { try PaymentRegistry.apply(payment.id, to: .expired, actor: "sweeper", reason: "", on: $0) }
            let result = try await PaymentConfirmation(pool: pool).confirm(
                paymentID: payment.id, provider: .kbank, providerEventID: "late-1", outcome: .succeeded(payer: nil))
            #expect(result == .lateSuccess)
            let exceptions: Int = try await pool.query(
                "SELECT count(*) AS n FROM reconciliation_exceptions WHERE kind = 'late_success'").single!.decode("n")
            #expect(exceptions == 1)
            let entries: Int = try await pool.query("SELECT count(*) AS n FROM ledger_entries").single!.decode("n")
            #expect(entries == 0, "a late success is reported, not booked")
            let listed = try await ReconciliationExceptions(pool: pool).list(merchantID: merchant.id)
            #expect(listed.map(\.kind) == ["late_success"])
            #expect(listed.first?.paymentID == payment.id)
            #expect(try await ReconciliationExceptions(pool: pool).list(merchantID: merchant.id + 1000).isEmpty)
        }
    }

    /// Many reports at once for one busy merchant share transactions: each payment is booked once, the
    /// receipt numbers run 1…n with no gap, a report sent twice at the same moment is done once, and a
    /// success and a failure racing for one payment leave exactly one of them applied.
    @Test func concurrentReportsForOneMerchantAreEachAppliedOnce() async throws {
        try await withMigratedTestDatabase("payconcurrent", poolSize: 8) { _, pool in
            let (merchant, _) = try await MerchantRegistry(pool: pool).create(MerchantRegistration(
                code: "BUSY", name: "Busy Co", providers: ["KBANK", "SCB"], defaultProvider: "KBANK", feePercent: "1.50"))
            let registry = PaymentRegistry(pool: pool)
            let count = 80
            let payments = try await withThrowingTaskGroup(of: Payment.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let outcome = try await registry.register(
                            PaymentRegistration(sourceID: "BUSY", sourcePaymentID: "p\(index)", amountText: "\(100 + index).50",
                                                currency: "THB", provider: nil, description: nil, metadata: "{}"),
                            by: merchant, idempotency: IdempotentRequest(key: "k\(index)", method: "POST", path: "/", body: [])
                        ) { _ in StoredResponse(status: 202, body: []) }
                        guard case .created(let payment, _) = outcome else { throw TestSetupError("not created") }
                        return payment
                    }
                }
                return try await group.reduce(into: [Payment]()) { $0.append($1) }
            }
            #expect(Set(payments.map(\.id)).count == count)
            try await pool.transaction { connection in
                for status in [PaymentStatus.submitting, .pending] {
                    try PaymentRegistry.apply(payments.map { PaymentStatusChange($0.id, reason: "test") }, to: status,
                                              actor: "test", on: connection)
                }
            }
            let confirmation = PaymentConfirmation(pool: pool)
            let contested = payments[0].id
            let results = try await withThrowingTaskGroup(of: (String, ConfirmationResult).self) { group in
                for payment in payments {
                    // Every success is sent twice at once; the first payment also gets a competing failure.
                    for copy in 0..<2 {
                        group.addTask {
                            ("\(payment.id)/\(copy)", try await confirmation.confirm(
                                paymentID: payment.id, provider: .kbank, providerEventID: "evt-\(payment.id)",
                                outcome: .succeeded(payer: "Payer")))
                        }
                    }
                }
                group.addTask {
                    ("contested", try await confirmation.confirm(
                        paymentID: contested, provider: .kbank, providerEventID: "evt-fail", outcome: .failed(reason: "refused")))
                }
                // A report naming the wrong provider is not applied to the payment.
                group.addTask {
                    ("wrong provider", try await confirmation.confirm(
                        paymentID: payments[1].id, provider: .scb, providerEventID: "evt-scb", outcome: .succeeded(payer: nil)))
                }
                return try await group.reduce(into: [(String, ConfirmationResult)]()) { $0.append($1) }
            }
            let succeeded = results.filter { if case .succeeded = $0.1 { return true } else { return false } }
            let duplicates = results.filter { $0.1 == .duplicateEvent }
            let contestedFailed = results.contains { $0.0 == "contested" && $0.1 == .failed }
            #expect(succeeded.count == (contestedFailed ? count - 1 : count))
            #expect(duplicates.count == count, "each success was sent twice and applied once")
            #expect(results.contains { $0.0 == "wrong provider" && $0.1 == .unknownPayment })
            let receiptNumbers = succeeded.compactMap { result -> String? in
                if case .succeeded(let number, _) = result.1 { return number } else { return nil }
            }
            #expect(Set(receiptNumbers).count == succeeded.count)

            let receipts = try await pool.query(
                "SELECT count(*) AS n, min(sequence) AS low, max(sequence) AS high FROM receipts WHERE merchant_id = $1::int8",
                [.int64(merchant.id)]).single!
            #expect(try receipts.decode("n", as: Int.self) == succeeded.count)
            #expect(try receipts.decode("low", as: Int.self) == 1)
            #expect(try receipts.decode("high", as: Int.self) == succeeded.count, "no gap in receipt numbers")
            let booked = try await pool.query(
                "SELECT count(*) AS n, count(DISTINCT reference) AS distinct_payments FROM ledger_entries WHERE kind = 'payment.succeeded'"
            ).single!
            #expect(try booked.decode("n", as: Int.self) == succeeded.count)
            #expect(try booked.decode("distinct_payments", as: Int.self) == succeeded.count)
            let finalStatuses = try await pool.query(
                "SELECT status::text AS status, count(*) AS n FROM payments GROUP BY 1 ORDER BY 1")
            let byStatus = try Dictionary(uniqueKeysWithValues: finalStatuses.map {
                (try $0.decode("status", as: String.self), try $0.decode("n", as: Int.self))
            })
            #expect(byStatus["SUCCEEDED"] == succeeded.count)
            #expect(byStatus["FAILED_BUSINESS", default: 0] == (contestedFailed ? 1 : 0))
            // The merchant is owed the gross of its succeeded payments less the 1.5% fee, to the satang.
            let expectedNet = try succeeded.map { result -> Int64 in
                let payment = try #require(payments.first { result.0.hasPrefix("\($0.id)") })
                return payment.amount.minorUnits - Percentage(partsPerMillion: 15_000).of(payment.amount).minorUnits
            }.reduce(0, +)
            let available = try await pool.query(
                """
                SELECT -a.balance AS available FROM ledger_accounts a
                 WHERE a.book_id = $1::int8 AND a.code = 'merchant:available'
                """, [.int64(merchant.bookID)]).single!
            #expect(try available.decode("available", as: Int64.self) == expectedNet)
            let invariants = try await LedgerInvariants.check(pool)
            #expect(invariants.hold, "\(invariants)")
        }
    }
}
