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

    /// Records the registration and its idempotency key (with a provisional 202) and commits, so KTB's
    /// callback always finds it; then submits it to KTB and records the answer, which becomes the stored
    /// response. A crash between the two leaves a waiting mandate that can be submitted again later.
    /// `ref4` is Satang's own reference, which the callback echoes back to name this mandate.
    public func register(
        _ registration: KTBRegistration, by merchant: Merchant, idempotency: IdempotentRequest,
        render: @escaping @Sendable (MandateSubmission) -> StoredResponse
    ) async throws -> IdempotentOutcome<MandateSubmission> {
        guard let client else { throw MandateError.notConfigured }
        guard registration.references.count < 4 || registration.references[3] == nil else {
            throw MandateError.validation(["ref4": "kept by Satang for its own reference; use ref1 to ref3"])
        }
        let id = UUID.timeOrdered()
        let satangRef = "S" + id.uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(19)
        let withRef = KTBRegistration(
            digitalID: registration.digitalID, accountNo: registration.accountNo,
            references: Array((registration.references + [nil, nil, nil]).prefix(3)) + [String(satangRef)])
        let problems = withRef.problems()
        guard problems.isEmpty else { throw MandateError.validation(problems) }
        let requestUID = Self.newRequestUID()
        let recorded = try await IdempotencyKeys.create(idempotency, merchantID: merchant.id, on: pool) { connection in
            try connection.query(
                """
                INSERT INTO direct_debit_mandates (id, merchant_id, digital_id, account_no, ref1, ref2, ref3, ref4, satang_ref, request_uid)
                VALUES ($1::uuid, $2::int8, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $8::text, $9::text)
                """,
                [.uuid(id), .int64(merchant.id), .string(withRef.digitalID), .string(withRef.accountNo)]
                    + withRef.references.map { .optional($0, PostgresValue.string) } + [.string(requestUID)])
            let provisional = MandateSubmission.unanswered(try Self.mandate(id, on: connection), "submitting to KTB")
            return (provisional, render(provisional))
        }
        guard case .created = recorded else { return recorded }
        let submission = try await submit(client, withRef, requestUID: requestUID, mandate: id)
        let response = render(submission)
        try await pool.transaction { connection in
            try IdempotencyKeys.store(response, for: idempotency, merchantID: merchant.id, on: connection)
        }
        return .created(submission, response)
    }

    /// Submits a mandate again under a new requestUID, when it has waited longer than configured for its
    /// callback; the row is locked while the decision is taken, so two requests cannot both resubmit.
    public func resubmit(_ id: UUID, of merchant: Merchant) async throws -> MandateSubmission {
        guard let client else { throw MandateError.notConfigured }
        let needed = client.configuration.resubmitAfter.components.seconds
        let requestUID = Self.newRequestUID()
        let mandate: Mandate = try await pool.transaction { connection in
            guard let row = try connection.query(
                """
                SELECT status::text AS status, extract(epoch FROM now() - submitted_at)::int8 AS waited
                  FROM direct_debit_mandates WHERE id = $1::uuid AND merchant_id = $2::int8 FOR UPDATE
                """, [.uuid(id), .int64(merchant.id)]).first
            else { throw MandateError.notFound }
            let status: String = try row.decode("status"), waited: Int64 = try row.decode("waited")
            guard status == MandateStatus.pendingCallback.rawValue else {
                throw MandateError.notResubmittable("only a registration still waiting for KTB's callback is submitted again; this one is \(status)")
            }
            guard waited >= needed else {
                throw MandateError.notResubmittable("KTB may still answer: submit again after \(needed - waited) more seconds")
            }
            // ref4 carries Satang's reference, also for a registration first sent before it did.
            try connection.query(
                """
                UPDATE direct_debit_mandates SET request_uid = $2::text, submitted_at = now(), status_detail = NULL, ref4 = satang_ref
                 WHERE id = $1::uuid
                """, [.uuid(id), .string(requestUID)])
            return try Self.mandate(id, on: connection)
        }
        let registration = KTBRegistration(digitalID: mandate.digitalID, accountNo: mandate.accountNo, references: mandate.references)
        return try await submit(client, registration, requestUID: requestUID, mandate: id)
    }

    /// Calls KTB (outside any transaction) and records its answer on the mandate, unless a callback or a
    /// newer submission has already moved it on.
    private func submit(_ client: KTBClient, _ registration: KTBRegistration, requestUID: String, mandate id: UUID) async throws -> MandateSubmission {
        let outcome: Result<KTBClient.Accepted, any Error>
        do { outcome = .success(try await client.register(registration, requestUID: requestUID)) } catch { outcome = .failure(error) }
        return try await pool.transaction { connection in
            let still = "id = $1::uuid AND status = 'PENDING_CALLBACK' AND request_uid = $2::text"
            switch outcome {
            case .success(let accepted):
                try connection.query("UPDATE direct_debit_mandates SET ddr_oapi_seq_id = $3::text, status_detail = NULL WHERE \(still)",
                                     [.uuid(id), .string(requestUID), .string(accepted.ddrOapiSeqId)])
                return .accepted(try Self.mandate(id, on: connection))
            case .failure(let refusal as KTBRefusal) where refusal.status == .duplicateTransaction:
                // An earlier submission reached KTB after all: its callback will settle the mandate.
                let detail = "KTB already has this registration (BSN002); waiting for its callback"
                try connection.query("UPDATE direct_debit_mandates SET status_detail = $3::text WHERE \(still)",
                                     [.uuid(id), .string(requestUID), .string(detail)])
                return .unanswered(try Self.mandate(id, on: connection), detail)
            case .failure(let refusal as KTBRefusal):
                try connection.query(
                    """
                    UPDATE direct_debit_mandates SET status = 'FAILED', status_code = $3::text, status_detail = $4::text, resolved_at = now()
                     WHERE \(still)
                    """, [.uuid(id), .string(requestUID), .string(refusal.status.rawValue), .string(refusal.bankText)])
                return .refused(try Self.mandate(id, on: connection), refusal.status)
            case .failure(let error as KTBUnreachable):
                let detail = "no answer from KTB (\(error)); waiting for its callback, or submit again later"
                try connection.query("UPDATE direct_debit_mandates SET status_detail = $3::text WHERE \(still)",
                                     [.uuid(id), .string(requestUID), .string(detail)])
                return .unanswered(try Self.mandate(id, on: connection), detail)
            case .failure(let error):
                // An answer Satang cannot read (an unknown code, no JSON): not a registration KTB took.
                try connection.query(
                    """
                    UPDATE direct_debit_mandates SET status = 'FAILED', status_code = 'UNKNOWN', status_detail = $3::text, resolved_at = now()
                     WHERE \(still)
                    """, [.uuid(id), .string(requestUID), .string("\(error)")])
                return .refused(try Self.mandate(id, on: connection), .unknownException)
            }
        }
    }

    /// A requestUID unique per call: 32 hex digits (KTB allows 36 characters).
    static func newRequestUID() -> String { UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() }
}
