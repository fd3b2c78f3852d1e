import Foundation
import PostgresClient

/// Provider `KTB`: a payment is a direct debit, so it needs an ACTIVE mandate for the customer the payment
/// names (`metadata.digitalId`, the identity given when the mandate was registered). Without one the
/// payment is refused (FAILED_BUSINESS) with a reason the merchant can read.
///
/// SANDBOX ONLY for the debit itself: seed 004 documents registration, not the debit call, so once the
/// mandate is checked the debit goes to `debit` (the sandbox bank) until KTB's debit API is specified.
public struct KTBDirectDebitProvider: PaymentProvider {
    let pool: PostgresPool
    let debit: any PaymentProvider

    public init(pool: PostgresPool, debit: any PaymentProvider) {
        self.pool = pool
        self.debit = debit
    }

    public func submit(_ payment: Payment) async throws -> SubmissionResult {
        let metadata = (try? JSONSerialization.jsonObject(with: Data(payment.metadata.utf8))) as? [String: Any]
        guard let digitalID = metadata?["digitalId"] as? String, !digitalID.isEmpty else {
            return .refused(reason: "a KTB direct debit needs metadata.digitalId, the customer named in their mandate")
        }
        let mandates = try await pool.query(
            """
            SELECT status::text AS status, status_code FROM direct_debit_mandates
             WHERE merchant_id = $1::int8 AND digital_id = $2::text
             ORDER BY status = 'ACTIVE' DESC, created_at DESC LIMIT 1
            """, [.int64(payment.merchantID), .string(digitalID)])
        guard let latest = mandates.first, try latest.decode("status", as: String.self) == MandateStatus.active.rawValue else {
            let why = try mandates.first.map { row -> String in
                switch try row.decode("status", as: String.self) {
                case MandateStatus.rejected.rawValue: return "KTB rejected its registration (\(try row.decode("status_code", as: String?.self) ?? "I0001"))"
                case MandateStatus.failed.rawValue: return "its registration failed (\(try row.decode("status_code", as: String?.self) ?? "?"))"
                default: return "its registration still waits for KTB's answer"
                }
            } ?? "none was registered"
            return .refused(reason: "no active KTB direct debit mandate for digitalId \(digitalID): \(why)")
        }
        return try await debit.submit(payment)
    }
}
