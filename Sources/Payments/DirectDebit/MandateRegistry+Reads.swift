import Foundation
import PostgresClient

extension MandateRegistry {
    public func mandate(_ id: UUID, of merchant: Merchant) async throws -> Mandate {
        guard let row = try await pool.query(
            "SELECT \(Self.columns) FROM direct_debit_mandates WHERE id = $1::uuid AND merchant_id = $2::int8",
            [.uuid(id), .int64(merchant.id)]
        ).first else { throw MandateError.notFound }
        return try Self.mandate(row)
    }

    /// The merchant's mandates, newest first, paged, and how many there are.
    public func list(of merchant: Merchant, status: MandateStatus?, page: Int, limit: Int) async throws -> (mandates: [Mandate], total: Int) {
        let filter = "WHERE merchant_id = $1::int8 AND ($2::text IS NULL OR status::text = $2::text)"
        let parameters: [PostgresValue] = [.int64(merchant.id), .optional(status?.rawValue, PostgresValue.string)]
        let total: Int = try await pool.query("SELECT count(*) AS n FROM direct_debit_mandates \(filter)", parameters).single!.decode("n")
        let rows = try await pool.query(
            "SELECT \(Self.columns) FROM direct_debit_mandates \(filter) ORDER BY created_at DESC, id DESC LIMIT $3::int8 OFFSET $4::int8",
            parameters + [.int64(Int64(limit)), .int64(Int64((page - 1) * limit))])
        return (try rows.map(Self.mandate), total)
    }

    static func mandate(_ id: UUID, on connection: PostgresConnection) throws -> Mandate {
        try mandate(try connection.query("SELECT \(columns) FROM direct_debit_mandates WHERE id = $1::uuid", [.uuid(id)]).single!)
    }

    static let columns = """
        id, merchant_id, digital_id, account_no, ref1, ref2, ref3, ref4, status::text AS status, request_uid, ddr_oapi_seq_id,
        status_code, status_detail, submitted_at, resolved_at, created_at
        """

    static func mandate(_ row: PostgresRow) throws -> Mandate {
        Mandate(
            id: try row.decode("id"), merchantID: try row.decode("merchant_id"), digitalID: try row.decode("digital_id"),
            accountNo: try row.decode("account_no"),
            references: [try row.decode("ref1"), try row.decode("ref2"), try row.decode("ref3"), try row.decode("ref4")],
            status: try row.decode("status"), requestUID: try row.decode("request_uid"), ddrOapiSeqId: try row.decode("ddr_oapi_seq_id"),
            statusCode: try row.decode("status_code"), statusDetail: try row.decode("status_detail"),
            submittedAt: try row.decode("submitted_at"), resolvedAt: try row.decode("resolved_at"), createdAt: try row.decode("created_at"))
    }
}
