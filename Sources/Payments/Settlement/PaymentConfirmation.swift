import Foundation
import Ledger
import PostgresClient

/// A provider's report about one payment, as its webhook brought it.
public struct ProviderReport: Sendable {
    public var paymentID: UUID
    public var provider: ProviderCode
    /// The provider's own event id: the same report twice is done once.
    public var eventID: String
    public var outcome: ProviderOutcome

    public init(paymentID: UUID, provider: ProviderCode, eventID: String, outcome: ProviderOutcome) {
        self.paymentID = paymentID
        self.provider = provider
        self.eventID = eventID
        self.outcome = outcome
    }
}

/// Applies a provider's report to a payment in one transaction: the status change, the ledger entry
/// (gross at the provider, fee earned, net owed to the merchant), the receipt and the outbox event.
///
/// Reports arriving together share the transaction (group commit): a merchant's accounts and receipt
/// counter are locked once per batch instead of once per payment, which is what keeps a busy merchant fast.
public struct PaymentConfirmation: Sendable {
    let pool: PostgresPool
    private let batches: GroupCommit<ProviderReport, ConfirmationResult>

    public init(pool: PostgresPool) {
        self.pool = pool
        self.batches = GroupCommit { reports in await Self.confirmBatch(reports, on: pool) }
    }

    public func confirm(
        paymentID: UUID, provider: ProviderCode, providerEventID: String, outcome: ProviderOutcome
    ) async throws -> ConfirmationResult {
        try await batches.submit(ProviderReport(paymentID: paymentID, provider: provider, eventID: providerEventID, outcome: outcome))
    }

    /// The batch in one transaction; should it fail, each report again in its own, so one bad report
    /// cannot hold the others back.
    static func confirmBatch(_ reports: [ProviderReport], on pool: PostgresPool) async -> [Result<ConfirmationResult, any Error>] {
        do {
            return try await pool.transaction { connection in try confirm(reports, on: connection) }.map { .success($0) }
        } catch {
            if reports.count == 1 { return [.failure(error)] }
        }
        return await withTaskGroup(of: (Int, Result<ConfirmationResult, any Error>).self) { group in
            for (index, report) in reports.enumerated() {
                group.addTask { (index, await confirmBatch([report], on: pool)[0]) }
            }
            var results = [Result<ConfirmationResult, any Error>](repeating: .failure(CancellationError()), count: reports.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
    }

    /// Applies `reports` in order inside the caller's transaction, as if one after the other.
    static func confirm(_ reports: [ProviderReport], on connection: PostgresConnection) throws -> [ConfirmationResult] {
        // 1. Deduplicate by the provider's event id, against history and within the batch.
        let fresh = try connection.query(
            """
            INSERT INTO provider_webhook_events (provider, event_id, payment_id)
            SELECT r.provider, r.event_id, r.payment_id::uuid FROM unnest($1::text[], $2::text[], $3::text[]) AS r(provider, event_id, payment_id)
            ON CONFLICT DO NOTHING RETURNING provider, event_id
            """,
            [.stringArray(reports.map(\.provider.rawValue)), .stringArray(reports.map(\.eventID)),
             .stringArray(reports.map(\.paymentID.lowercasedText))])
        var unclaimed = Set(try fresh.map { "\(try $0.decode("provider", as: String.self))\u{0}\(try $0.decode("event_id", as: String.self))" })

        // 2. Lock the payments in id order and read what the status change, the ledger and the receipt need.
        let rows = try connection.query(
            """
            SELECT \(PaymentRegistry.transitionColumns), p.description, m.name, m.address, m.tax_id, m.book_id, m.fee_ppm
              FROM payments p JOIN merchants m ON m.id = p.merchant_id \(PaymentRegistry.transitionJoins)
             WHERE p.id = ANY ($1::text[]::uuid[])
             ORDER BY p.id
               FOR UPDATE OF p
            """, [.stringArray(reports.map(\.paymentID.lowercasedText))])
        var payments: [UUID: PostgresRow] = [:]
        var statuses: [UUID: PaymentStatus] = [:]
        for row in rows {
            let id: UUID = try row.decode("id")
            payments[id] = row
            statuses[id] = try row.decode("status", as: PaymentStatus.self)
        }

        // 3. Decide each report in order, as a sequence of single confirmations would.
        var results: [ConfirmationResult?] = Array(repeating: nil, count: reports.count)
        var successes: [(index: Int, report: ProviderReport, payer: String?, row: PostgresRow)] = []
        var failures: [(index: Int, report: ProviderReport, reason: String)] = []
        for (index, report) in reports.enumerated() {
            guard unclaimed.remove("\(report.provider.rawValue)\u{0}\(report.eventID)") != nil else {
                results[index] = .duplicateEvent
                continue
            }
            guard let row = payments[report.paymentID], try row.decode("provider", as: String.self) == report.provider.rawValue,
                let status = statuses[report.paymentID]
            else {
                results[index] = .unknownPayment
                continue
            }
            // Money that arrives for a payment already ended another way (expired, a deposit cancelled while
            // the customer paid, a failure) is never dropped: it becomes an exception for the accountants.
            if status.isTerminal, status != .succeeded, case .succeeded(let payer) = report.outcome {
                let amount = try PaymentRegistry.amount(in: row)
                try connection.query(
                    "INSERT INTO reconciliation_exceptions (payment_id, kind, detail) VALUES ($1::uuid, 'late_success', $2::jsonb)",
                    [.uuid(report.paymentID), .json(JSONValue.object([
                        ("providerEventId", .string(report.eventID)), ("payer", payer.map(JSONValue.string) ?? .null),
                        ("amount", .string(amount.decimalText)), ("provider", .string(report.provider.rawValue)),
                        ("statusWhenPaid", .string(status.rawValue)),
                    ]).serialized)])
                results[index] = .lateSuccess
                continue
            }
            guard status == .pending else {
                // Let the provider redeliver once the payment is PENDING; a final payment stays as it is.
                try connection.query(
                    "DELETE FROM provider_webhook_events WHERE provider = $1::text AND event_id = $2::text",
                    [.string(report.provider.rawValue), .string(report.eventID)])
                results[index] = .notPending(status)
                continue
            }
            switch report.outcome {
            case .failed(let reason):
                statuses[report.paymentID] = .failedBusiness
                failures.append((index, report, reason))
                results[index] = .failed
            case .succeeded(let payer):
                statuses[report.paymentID] = .succeeded
                successes.append((index, report, payer, row))
            }
        }

        // 4. Write the decisions together: transitions, ledger entries, receipts.
        for provider in Set(failures.map(\.report.provider)) {
            try PaymentRegistry.apply(
                failures.filter { $0.report.provider == provider }.map { PaymentStatusChange($0.report.paymentID, reason: $0.reason) },
                to: .failedBusiness, actor: "provider:\(provider.rawValue)", locked: payments, on: connection)
        }
        guard !successes.isEmpty else { return results.map { $0! } }
        for provider in Set(successes.map(\.report.provider)) {
            try PaymentRegistry.apply(
                successes.filter { $0.report.provider == provider }.map {
                    PaymentStatusChange($0.report.paymentID, reason: "confirmed by provider event \($0.report.eventID)")
                }, to: .succeeded, actor: "provider:\(provider.rawValue)", locked: payments, on: connection)
        }
        let entries = try successes.map { success in
            let amount = try PaymentRegistry.amount(in: success.row)
            // A deposit is booked at the fee it was quoted.
            let fee = try success.row.decode("deposit_fee", as: Int64?.self).map { Money(minorUnits: $0, currency: amount.currency) }
                ?? Percentage(partsPerMillion: try success.row.decode("fee_ppm")).of(amount)
            return try MoneyMovement.paymentSucceeded(
                book: try success.row.decode("book_id"), paymentID: success.report.paymentID.lowercasedText,
                provider: success.report.provider.rawValue, gross: amount, fee: fee)
        }
        let posted = try Ledger.post(entries, on: connection)
        let numbers = try issueReceipts(successes.map { ($0.report, $0.payer, $0.row) }, on: connection)
        for ((success, result), number) in zip(zip(successes, posted), numbers) {
            guard let entry = result.postedEntry else {
                throw LedgerError(.invalidRequest, "the ledger refused payment \(success.report.paymentID): \(result)")
            }
            results[success.index] = .succeeded(receiptNumber: number, ledgerEntryID: entry.id)
        }
        return results.map { $0! }
    }

    /// Takes each merchant's next receipt numbers for the year (Bangkok time), one counter update per
    /// merchant, and writes the receipts in one statement. Numbers follow the order of `successes`.
    private static func issueReceipts(
        _ successes: [(report: ProviderReport, payer: String?, row: PostgresRow)], on connection: PostgresConnection
    ) throws -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        let year = calendar.component(.year, from: Date())
        var countByMerchant: [Int64: Int] = [:]
        for success in successes {
            countByMerchant[try success.row.decode("merchant_id"), default: 0] += 1
        }
        // Merchants in id order, so two batches never wait for each other's counters the other way round.
        var nextByMerchant: [Int64: Int] = [:]
        for (merchantID, count) in countByMerchant.sorted(by: { $0.key < $1.key }) {
            let last: Int = try connection.query(
                """
                INSERT INTO receipt_counters (merchant_id, year, last_number) VALUES ($1::int8, $2::int4, $3::int4)
                ON CONFLICT (merchant_id, year) DO UPDATE SET last_number = receipt_counters.last_number + excluded.last_number
                RETURNING last_number
                """, [.int64(merchantID), .int32(Int32(year)), .int32(Int32(count))]
            ).single!.decode("last_number")
            nextByMerchant[merchantID] = last - count + 1
        }
        let receipts = try successes.map { success in
            let merchantID: Int64 = try success.row.decode("merchant_id")
            let sequence = nextByMerchant[merchantID]!
            nextByMerchant[merchantID] = sequence + 1
            return (success: success, merchantID: merchantID, sequence: sequence,
                    number: ReceiptNumber(year: year, sequence: sequence).description,
                    split: VATSplit(total: try PaymentRegistry.amount(in: success.row)))
        }
        let rows = successes.map(\.row)
        try connection.query(
            """
            INSERT INTO receipts (merchant_id, payment_id, year, sequence, number, seller_name, seller_address, seller_tax_id,
                                  payer, description, provider, currency, total, base, vat)
            SELECT r.merchant_id, r.payment_id::uuid, $15::int4, r.sequence, r.number, r.name, r.address, r.tax_id,
                   r.payer, r.description, r.provider, r.currency, r.total, r.base, r.vat
              FROM unnest($1::int8[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                          $9::text[], $10::text[], $11::text[], $12::int8[], $13::int8[], $14::int8[])
                AS r(merchant_id, payment_id, sequence, number, name, address, tax_id, payer, description, provider,
                     currency, total, base, vat)
            """,
            [.int64Array(receipts.map(\.merchantID)), .stringArray(receipts.map(\.success.report.paymentID.lowercasedText)),
             .int64Array(receipts.map { Int64($0.sequence) }), .stringArray(receipts.map(\.number)),
             .stringArray(try rows.map { try $0.decode("name", as: String.self) }),
             .stringArray(try rows.map { try $0.decode("address", as: String?.self) }),
             .stringArray(try rows.map { try $0.decode("tax_id", as: String?.self) }),
             .stringArray(successes.map(\.payer)),
             .stringArray(try rows.map { try $0.decode("description", as: String?.self) }),
             .stringArray(receipts.map(\.success.report.provider.rawValue)),
             .stringArray(receipts.map(\.split.total.currency.code)), .int64Array(receipts.map(\.split.total.minorUnits)),
             .int64Array(receipts.map(\.split.base.minorUnits)), .int64Array(receipts.map(\.split.vat.minorUnits)),
             .int32(Int32(year))])
        return receipts.map(\.number)
    }
}
