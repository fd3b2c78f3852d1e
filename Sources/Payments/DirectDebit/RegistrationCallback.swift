import Foundation
import PostgresClient

/// KTB's registration-result callback (seed 004): the `msg-hdr` header and body checked field by field,
/// answered `{statusCode, statusDesc, requestUID}` with the documented codes. `I0000` makes the waiting
/// mandate ACTIVE, `I0001` REJECTED; a repeated callback changes nothing twice. The mandate is the one
/// whose Satang reference comes back in `ref4`.
public struct RegistrationCallback: Sendable {
    /// The answer KTB gets.
    public struct Answer: Sendable, Equatable {
        public var statusCode: String
        public var statusDesc: String
        public var requestUID: String
        /// 200 for success, 401 for a wrong key, 400 otherwise.
        public var httpStatus: Int
    }

    let pool: PostgresPool
    let configuration: KTBConfiguration

    public init(pool: PostgresPool, configuration: KTBConfiguration) {
        self.pool = pool
        self.configuration = configuration
    }

    /// A refusal: code and description with the field it names.
    struct Refusal: Error {
        var code: String
        var description: String
        var httpStatus = 400
    }

    public func handle(messageHeader: String?, body: [UInt8]) async -> Answer {
        var requestUID = ""
        do {
            let header = try Self.header(messageHeader)
            requestUID = header["requestUID"] ?? ""
            try check(header)
            let fields = try Self.body(body)
            try checkBody(fields)
            return try await apply(fields, requestUID: requestUID)
        } catch let refusal as Refusal {
            return Answer(statusCode: refusal.code, statusDesc: refusal.description, requestUID: requestUID, httpStatus: refusal.httpStatus)
        } catch {
            return Answer(statusCode: "SYS001", statusDesc: "System Error", requestUID: requestUID, httpStatus: 500)
        }
    }

    // MARK: Checks, in the order a caller would fix them

    static func header(_ text: String?) throws(Refusal) -> [String: String] {
        guard let text, !text.isEmpty else { throw Refusal(code: "CMN001", description: "msg-hdr is required") }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw Refusal(code: "CMN002", description: "Invalid format msg-hdr")
        }
        return try strings(object)
    }

    /// Every member as text; KTB sends nothing else.
    static func strings(_ object: [String: Any]) throws(Refusal) -> [String: String] {
        var fields: [String: String] = [:]
        for (key, value) in object {
            guard let string = value as? String else { throw Refusal(code: "CMN002", description: "Invalid format \(key)") }
            fields[key] = string
        }
        return fields
    }

    func check(_ header: [String: String]) throws(Refusal) {
        for name in ["x-api-key", "channelId", "oapi-client-id", "oapi-partner-id", "requestUID", "requestDateTime"] where header[name]?.isEmpty != false {
            throw Refusal(code: "CMN001", description: "\(name) is required")
        }
        guard ConstantTime.equal(header["x-api-key"]!, configuration.callbackAPIKey) else {
            throw Refusal(code: "AU00401", description: "Unauthorized", httpStatus: 401)
        }
        guard header["channelId"] == "DDR-OPEN-API" else { throw Refusal(code: "CMN003", description: "Invalid channelId") }
        guard header["oapi-client-id"] == configuration.clientID else { throw Refusal(code: "AU00401", description: "Unauthorized", httpStatus: 401) }
        guard header["oapi-partner-id"] == configuration.callbackPartnerID else { throw Refusal(code: "BSN006", description: "Partner Id Not Found") }
        guard header["requestUID"]!.count <= 36 else { throw Refusal(code: "AU00004", description: "Invalid format, requestUID") }
        guard Self.bangkokTime(header["requestDateTime"]!, format: "yyyyMMdd HH:mm:ss") != nil else {
            throw Refusal(code: "CMN002", description: "Invalid format requestDateTime")
        }
    }

    static func body(_ bytes: [UInt8]) throws(Refusal) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw Refusal(code: "AU00400", description: "Bad Request")
        }
        return try strings(object)
    }

    func checkBody(_ fields: [String: String]) throws(Refusal) {
        for name in ["vendorId", "companyId", "accountNo", "applyDtm", "respCode", "respDesc"] where fields[name]?.isEmpty != false {
            throw Refusal(code: "CMN001", description: "\(name) is required")
        }
        let limits = ["vendorId": 10, "companyId": 15, "accountNo": 13, "ref1": 20, "ref2": 20, "ref3": 20, "ref4": 20, "applyDtm": 19, "respCode": 5, "respDesc": 10]
        for (name, limit) in limits.sorted(by: { $0.key < $1.key }) where (fields[name]?.count ?? 0) > limit {
            throw Refusal(code: "CMN005", description: "\(name) is over max length (\(limit))")
        }
        guard fields["accountNo"]!.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw Refusal(code: "CMN004", description: "accountNo must be numeric.")
        }
        // The table says YYYY-MM-DD HH:MM:SS, the sample sends 20201102 11:22:33: both are Bangkok time.
        guard Self.bangkokTime(fields["applyDtm"]!, format: "yyyy-MM-dd HH:mm:ss") != nil
            || Self.bangkokTime(fields["applyDtm"]!, format: "yyyyMMdd HH:mm:ss") != nil
        else { throw Refusal(code: "CMN002", description: "Invalid format applyDtm") }
        guard ["I0000", "I0001"].contains(fields["respCode"]!) else { throw Refusal(code: "CMN003", description: "Invalid respCode") }
        guard fields["vendorId"] == configuration.vendorID else { throw Refusal(code: "BSN001", description: "Vendor Id Not Found") }
        guard fields["companyId"] == configuration.companyID else { throw Refusal(code: "BSN004", description: "Company Profile Not Found") }
    }

    /// Records the callback once (a repeated requestUID is BSN007) and settles the mandate it is about.
    private func apply(_ fields: [String: String], requestUID: String) async throws -> Answer {
        let accepted = fields["respCode"] == "I0000"
        return try await pool.transaction { connection in
            let fresh = try connection.query(
                "INSERT INTO ktb_ddr_callbacks (request_uid, resp_code) VALUES ($1::text, $2::text) ON CONFLICT DO NOTHING RETURNING 1 AS fresh",
                [.string(requestUID), .string(fields["respCode"]!)])
            guard !fresh.isEmpty else { throw Refusal(code: "BSN007", description: "Duplicate Request UID") }
            // ref4 is Satang's own reference for the mandate (see migration 0014): with the account it names
            // exactly one registration, whoever else registered the same account.
            let matches = try connection.query(
                """
                SELECT id, status::text AS status FROM direct_debit_mandates
                 WHERE satang_ref = $1::text AND account_no = $2::text FOR UPDATE
                """, [.string(fields["ref4"] ?? ""), .string(fields["accountNo"]!)])
            guard let match = matches.first else { throw Refusal(code: "BSN003", description: "Transaction Failed") }
            let id: UUID = try match.decode("id")
            try connection.query("UPDATE ktb_ddr_callbacks SET mandate_id = $2::uuid WHERE request_uid = $1::text",
                                 [.string(requestUID), .uuid(id)])
            if try match.decode("status", as: String.self) == MandateStatus.pendingCallback.rawValue {
                try connection.query(
                    """
                    UPDATE direct_debit_mandates SET status = $2::text::mandate_status, status_code = $3::text, status_detail = $4::text,
                           resolved_at = now()
                     WHERE id = $1::uuid
                    """,
                    [.uuid(id), .string(accepted ? MandateStatus.active.rawValue : MandateStatus.rejected.rawValue),
                     .string(fields["respCode"]!), .string("KTB: \(fields["respDesc"]!)")])
            }
            return Answer(statusCode: "0", statusDesc: "Success", requestUID: requestUID, httpStatus: 200)
        }
    }

    static func bangkokTime(_ text: String, format: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Bangkok")
        formatter.dateFormat = format
        guard let date = formatter.date(from: text), formatter.string(from: date) == text else { return nil }
        return date
    }

}
