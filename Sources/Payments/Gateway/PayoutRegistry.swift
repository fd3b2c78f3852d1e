import Foundation
import Ledger
import PostgresClient

/// Creates, reads and cancels payouts, and moves them through their lifecycle. Every move writes an
/// event and the merchant's callback in the same transaction; every baht moves through the ledger
/// (reserve on create, settle on completion, refund on cancel or failure).
public struct PayoutRegistry: Sendable {
    let pool: PostgresPool
    /// Accept `http://` callback URLs (development only).
    public var allowInsecureCallbacks = false

    public init(pool: PostgresPool) { self.pool = pool }

    /// Validates, then in one transaction writes the payout and reserves its amount from the available
    /// balance; when the balance does not cover it nothing is written.
    public func create(
        _ request: PayoutRequest, by merchant: Merchant, idempotency: IdempotentRequest?,
        render: @escaping @Sendable (Payout) -> StoredResponse
    ) async throws -> IdempotentOutcome<Payout> {
        let valid = try request.validated(
            knownBanks: try await BankDirectory(pool: pool).activeCodes(), allowInsecureCallback: allowInsecureCallbacks)
        guard let provider = merchant.defaultProvider ?? merchant.providers.first else { throw PayoutError.noProvider }
        let fee = merchant.feeRate.of(valid.amount)
        guard fee.minorUnits < valid.amount.minorUnits else {
            throw PayoutError.validation(["amount": "must be more than its fee of \(fee.decimalText)"])
        }
        do {
            // Two PAY references drawing the same random part is retried with a new draw.
            return try await IdempotencyKeys.create(idempotency, merchantID: merchant.id, on: pool, retryingOn: "payouts_reference_key") {
                let payout = try Self.insert(valid, provider: provider, fee: fee, merchant: merchant, on: $0)
                return (payout, render(payout))
            }
        } catch let error as PostgresError where error.isUniqueViolation && error.constraint == "payouts_merchant_reference_key" {
            throw PayoutError.duplicateReference(valid.merchantReference ?? "")
        }
    }

    /// The payout row, its first event, and the reservation of its amount; refused when the balance is short.
    private static func insert(
        _ valid: ValidatedTransfer, provider: ProviderCode, fee: Money, merchant: Merchant, on connection: PostgresConnection
    ) throws -> Payout {
        let id = UUID.timeOrdered()
        let reference = "PAY" + DepositRegistry.newReference().dropFirst(3)
        let row = try connection.query(
            """
            WITH payout AS (
                INSERT INTO payouts (id, reference, merchant_id, merchant_reference, amount, fee, fee_ppm, provider,
                                     account_no, account_name, bank_code, callback_url)
                VALUES ($1::uuid, $2::text, $3::int8, $4::text, $5::int8, $6::int8, $7::int8, $8::text, $9::text,
                        $10::text, $11::text, $12::text)
                RETURNING id, created_at
            ), event AS (
                INSERT INTO payout_events (payout_id, from_status, to_status, actor, reason)
                SELECT id, NULL, 'created', $13::text, 'payout created' FROM payout
            )
            SELECT created_at FROM payout
            """,
            [.uuid(id), .string(reference), .int64(merchant.id), .optional(valid.merchantReference, PostgresValue.string),
             .int64(valid.amount.minorUnits), .int64(fee.minorUnits), .int64(merchant.feeRate.partsPerMillion),
             .string(provider.rawValue), .string(valid.customerAccountNo), .string(valid.customerName),
             .string(valid.customerBankCode), .string(valid.callbackURL), .string("merchant:\(merchant.code)")]
        ).single!
        let reserve = try MoneyMovement.payoutReserved(book: merchant.bookID, payoutID: reference, amount: valid.amount)
        if case .rejected(let rejection) = try Ledger.post([reserve], on: connection)[0] {
            if case .insufficientFunds(_, let available, _) = rejection {
                throw PayoutError.insufficientBalance(available: available, requested: valid.amount)
            }
            throw rejection
        }
        return Payout(
            id: id, reference: reference, merchantID: merchant.id, merchantReference: valid.merchantReference,
            status: .created, amount: valid.amount, fee: fee, feeRate: merchant.feeRate, provider: provider,
            accountNo: valid.customerAccountNo, accountName: valid.customerName, bankCode: valid.customerBankCode,
            callbackURL: valid.callbackURL, bankReference: nil, failureReason: nil,
            createdAt: try row.decode("created_at"), completedAt: nil)
    }

    /// Cancels a payout never handed to the bank (`created`): `cancelled`, and the amount back to available.
    public func cancel(_ reference: String, by merchant: Merchant) async throws -> Payout {
        let payout = try await self.payout(reference, of: merchant)
        let moved = try await pool.transaction { connection in
            try Self.move(payout.id, from: [.created], to: .cancelled, actor: "merchant:\(merchant.code)",
                          reason: "cancelled by the merchant", on: connection)
        }
        guard moved != nil else {
            throw PayoutError.notCancellable(status: try await self.payout(reference, of: merchant).status.rawValue)
        }
        return try await self.payout(reference, of: merchant)
    }

    /// Moves a payout that is in one of `from` to `to`, with its event, ledger entry (settlement on
    /// completion, refund on cancel or failure) and callback. `nil` when it was not in `from`.
    @discardableResult
    static func move(
        _ id: UUID, from: Set<PayoutStatus>, to status: PayoutStatus, actor: String, reason: String,
        bankReference: String? = nil, on connection: PostgresConnection
    ) throws -> Payout? {
        guard let current = try connection.query("\(select) WHERE o.id = $1::uuid FOR UPDATE OF o", [.uuid(id)]).first
        else { return nil }
        let before = try payout(current)
        guard from.contains(before.status) else { return nil }
        try connection.query(
            """
            UPDATE payouts SET status = $2::text::payout_status, bank_reference = COALESCE($3::text, bank_reference),
                   failure_reason = CASE WHEN $2::text IN ('failed', 'waiting') THEN $4::text ELSE failure_reason END,
                   completed_at = CASE WHEN $2::text IN ('completed', 'failed', 'cancelled') THEN now() ELSE completed_at END
             WHERE id = $1::uuid
            """, [.uuid(id), .string(status.rawValue), .optional(bankReference, PostgresValue.string), .string(reason)])
        try connection.query(
            """
            INSERT INTO payout_events (payout_id, from_status, to_status, actor, reason)
            VALUES ($1::uuid, $2::text::payout_status, $3::text::payout_status, $4::text, $5::text)
            """, [.uuid(id), .string(before.status.rawValue), .string(status.rawValue), .string(actor), .string(reason)])
        let book: Int64 = try current.decode("book_id")
        let entry: JournalEntryRequest? = switch status {
        case .completed:
            try MoneyMovement.payoutCompleted(book: book, payoutID: before.reference, provider: before.provider.rawValue,
                                              amount: before.amount, fee: before.fee)
        case .cancelled, .failed:
            try MoneyMovement.payoutRefunded(book: book, payoutID: before.reference, amount: before.amount, reason: reason)
        default: nil
        }
        if let entry, case .rejected(let rejection) = try Ledger.post([entry], on: connection)[0] { throw rejection }
        let after = try payout(try connection.query("\(select) WHERE o.id = $1::uuid", [.uuid(id)]).single!)
        if status != .inBatch {  // the batch step is internal; the merchant hears of pending → processing and after
            try Outbox.append([GatewayCallback.payout(after, secret: try current.decode("api_secret"))], on: connection)
        }
        return after
    }

    static let select = """
        SELECT o.id, o.reference, o.merchant_id, o.merchant_reference, o.status::text AS status, o.amount, o.fee, o.fee_ppm,
               o.provider, o.account_no, o.account_name, o.bank_code, o.callback_url, o.bank_reference, o.failure_reason,
               o.created_at, o.completed_at, m.book_id, m.api_secret
          FROM payouts o JOIN merchants m ON m.id = o.merchant_id
        """

    static func payout(_ row: PostgresRow) throws -> Payout {
        Payout(
            id: try row.decode("id"), reference: try row.decode("reference"), merchantID: try row.decode("merchant_id"),
            merchantReference: try row.decode("merchant_reference"), status: try row.decode("status"),
            amount: .minor(try row.decode("amount")), fee: .minor(try row.decode("fee")),
            feeRate: Percentage(partsPerMillion: try row.decode("fee_ppm")), provider: try row.decode("provider"),
            accountNo: try row.decode("account_no"), accountName: try row.decode("account_name"),
            bankCode: try row.decode("bank_code"), callbackURL: try row.decode("callback_url"),
            bankReference: try row.decode("bank_reference"), failureReason: try row.decode("failure_reason"),
            createdAt: try row.decode("created_at"), completedAt: try row.decode("completed_at"))
    }
}
