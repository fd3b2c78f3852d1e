import Foundation
import PostgresClient

/// Registers customers' KTB accounts for direct debit (mandates), answers KTB's registration-result
/// callbacks, and tells the KTB provider whether a customer has an active mandate.
public struct MandateRegistry: Sendable {
    let pool: PostgresPool
    let client: KTBClient?

    public init(pool: PostgresPool, client: KTBClient?) {
        self.pool = pool
        self.client = client
    }

    /// Submits a registration to KTB and records it, under the idempotency key, in one transaction held
    /// across the call (registrations are rare; a crash mid-call leaves nothing, and the retry submits again).
    public func register(
        _ registration: KTBRegistration, by merchant: Merchant, idempotency: IdempotentRequest,
        render: @escaping @Sendable (MandateSubmission) -> StoredResponse
    ) async throws -> IdempotentOutcome<MandateSubmission> {
        guard let client else { throw MandateError.notConfigured }
        let problems = registration.problems()
        guard problems.isEmpty else { throw MandateError.validation(problems) }
        do {
            return try await pool.transaction { connection in
                try IdempotencyKeys.guarded(idempotency, merchantID: merchant.id, on: connection) {
                    let id = UUID()
                    let requestUID = Self.newRequestUID()
                    let refs = (registration.references + [nil, nil, nil, nil]).prefix(4).map { $0 }
                    try connection.query(
                        """
                        INSERT INTO direct_debit_mandates (id, merchant_id, digital_id, account_no, ref1, ref2, ref3, ref4, request_uid)
                        VALUES ($1::uuid, $2::int8, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text)
                        """,
                        [.uuid(id), .int64(merchant.id), .string(registration.digitalID), .string(registration.accountNo)]
                            + refs.map { .optional($0, PostgresValue.string) } + [.string(requestUID)])
                    let submission = try Self.blockingSubmit(client, registration, requestUID: requestUID, mandate: id, on: connection)
                    return (submission, render(submission))
                }
            }
        } catch let error as PostgresError where error.sqlState == "55P03" {
            throw PaymentError.idempotencyKeyInUse
        }
    }

    /// Submits a mandate again under a new requestUID, when it has waited longer than configured for its callback.
    public func resubmit(_ id: UUID, of merchant: Merchant) async throws -> MandateSubmission {
        guard let client else { throw MandateError.notConfigured }
        let mandate = try await self.mandate(id, of: merchant)
        let waited = Date().timeIntervalSince(mandate.submittedAt)
        let needed = Double(client.configuration.resubmitAfter.components.seconds)
        guard mandate.status == .pendingCallback else {
            throw MandateError.notResubmittable("only a registration still waiting for KTB's callback is submitted again; this one is \(mandate.status.rawValue)")
        }
        guard waited >= needed else {
            throw MandateError.notResubmittable("KTB may still answer: submit again after \(Int(needed - waited)) more seconds")
        }
        return try await pool.transaction { connection in
            let requestUID = Self.newRequestUID()
            try connection.query(
                "UPDATE direct_debit_mandates SET request_uid = $2::text, submitted_at = now(), status_detail = NULL WHERE id = $1::uuid",
                [.uuid(id), .string(requestUID)])
            let registration = KTBRegistration(digitalID: mandate.digitalID, accountNo: mandate.accountNo, references: mandate.references)
            return try Self.blockingSubmit(client, registration, requestUID: requestUID, mandate: id, on: connection)
        }
    }

    /// Calls KTB from inside the transaction's closure (which runs on a thread of the pool, not the
    /// cooperative pool) and records the answer on the mandate.
    private static func blockingSubmit(
        _ client: KTBClient, _ registration: KTBRegistration, requestUID: String, mandate id: UUID, on connection: PostgresConnection
    ) throws -> MandateSubmission {
        let outcome = BlockingWait.run { () async -> Result<KTBClient.Accepted, any Error> in
            do { return .success(try await client.register(registration, requestUID: requestUID)) } catch { return .failure(error) }
        }
        switch outcome {
        case .success(let accepted):
            try connection.query("UPDATE direct_debit_mandates SET ddr_oapi_seq_id = $2::text WHERE id = $1::uuid",
                                 [.uuid(id), .string(accepted.ddrOapiSeqId)])
            return .accepted(try mandate(id, on: connection))
        case .failure(let status as KTBStatus):
            try connection.query(
                """
                UPDATE direct_debit_mandates SET status = 'FAILED', status_code = $2::text, status_detail = $3::text, resolved_at = now()
                 WHERE id = $1::uuid
                """, [.uuid(id), .string(status.rawValue), .string(status.bankDescription)])
            return .refused(try mandate(id, on: connection), status)
        case .failure(let error):
            let detail = "no answer from KTB (\(error)); waiting for its callback"
            try connection.query("UPDATE direct_debit_mandates SET status_detail = $2::text WHERE id = $1::uuid",
                                 [.uuid(id), .string(detail)])
            return .unanswered(try mandate(id, on: connection), detail)
        }
    }

    /// A requestUID unique per call: 32 hex digits (KTB allows 36 characters).
    static func newRequestUID() -> String { UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() }
}
