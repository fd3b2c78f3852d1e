import Foundation
import Ledger
import PostgresClient

extension DepositRegistry {
    /// The merchant's deposit by its `DEP…` reference; another merchant's is `notFound`, like a missing one.
    public func deposit(_ reference: String, of merchant: Merchant) async throws -> Deposit {
        let rows = try await pool.query(
            "\(Self.select) WHERE d.reference = $1::text AND d.merchant_id = $2::int8", [.string(reference), .int64(merchant.id)])
        guard let row = rows.first else { throw DepositError.notFound }
        return try Self.deposit(row)
    }

    /// The merchant's deposit by its own reference (seed 000's `transactionId`).
    public func deposit(merchantReference: String, of merchant: Merchant) async throws -> Deposit {
        let rows = try await pool.query(
            "\(Self.select) WHERE p.source_payment_id = $1::text AND p.merchant_id = $2::int8 AND d.reference <> $1::text",
            [.string(merchantReference), .int64(merchant.id)])
        guard let row = rows.first else { throw DepositError.notFound }
        return try Self.deposit(row)
    }

    /// Any merchant's deposit by reference, for the public status endpoint (which shows only status and amount).
    public func publicDeposit(_ reference: String) async throws -> Deposit {
        guard let row = try await pool.query("\(Self.select) WHERE d.reference = $1::text", [.string(reference)]).first else {
            throw DepositError.notFound
        }
        return try Self.deposit(row)
    }

    /// One page of the merchant's deposits, newest first (ties broken by id), and how many match.
    public func list(
        statuses: [PaymentStatus]?, createdFrom: Date?, createdTo: Date?, page: Int, limit: Int, of merchant: Merchant
    ) async throws -> (deposits: [Deposit], total: Int) {
        let filter = """
            WHERE d.merchant_id = $1::int8
              AND ($2::text[] IS NULL OR p.status::text = ANY ($2::text[]))
              AND ($3::timestamptz IS NULL OR d.created_at >= $3::timestamptz)
              AND ($4::timestamptz IS NULL OR d.created_at <= $4::timestamptz)
            """
        let parameters: [PostgresValue] = [
            .int64(merchant.id), .optional(statuses?.map(\.rawValue), PostgresValue.stringArray),
            .optional(createdFrom, PostgresValue.date), .optional(createdTo, PostgresValue.date),
        ]
        let total: Int = try await pool.query(
            "SELECT count(*) AS n FROM deposits d JOIN payments p ON p.id = d.payment_id \(filter)", parameters
        ).single!.decode("n")
        let rows = try await pool.query(
            "\(Self.select) \(filter) ORDER BY d.created_at DESC, d.payment_id DESC LIMIT $5::int8 OFFSET $6::int8",
            parameters + [.int64(Int64(limit)), .int64(Int64((page - 1) * limit))])
        return (try rows.map(Self.deposit), total)
    }

    /// Cancels a pending deposit: CANCELED, with its event and callback, and its amount freed.
    public func cancel(_ reference: String, by merchant: Merchant) async throws -> Deposit {
        let deposit = try await self.deposit(reference, of: merchant)
        let moved = try await pool.transaction { connection in
            try PaymentRegistry.apply(
                deposit.paymentID, to: .canceled, actor: "merchant:\(merchant.code)", reason: "cancelled by the merchant",
                on: connection)
        }
        guard moved != nil else {
            let now = try await self.deposit(reference, of: merchant)
            throw DepositError.notCancellable(status: now.status.gatewayWord)
        }
        return try await self.deposit(reference, of: merchant)
    }

    static let select = """
        SELECT p.id, p.status::text AS status, p.amount, p.expires_at, p.source_payment_id,
               d.reference, d.merchant_id, d.requested_amount, d.fee, d.fee_ppm, d.customer_account_no, d.customer_name,
               d.customer_bank_code, d.callback_url, d.channel, d.created_at,
               (SELECT max(e.at) FROM payment_events e WHERE e.payment_id = p.id AND e.to_status = 'SUCCEEDED') AS paid_at,
               r.id AS account_id, r.bank_code, r.account_no, r.account_name, r.promptpay_id, r.active
          FROM deposits d
          JOIN payments p ON p.id = d.payment_id
          JOIN receiving_accounts r ON r.id = d.receiving_account_id
        """

    static func deposit(_ row: PostgresRow) throws -> Deposit {
        let reference: String = try row.decode("reference")
        let source: String = try row.decode("source_payment_id")
        return Deposit(
            paymentID: try row.decode("id"), reference: reference, merchantID: try row.decode("merchant_id"),
            merchantReference: source == reference ? nil : source, status: try row.decode("status"),
            requestedAmount: .minor(try row.decode("requested_amount")), amount: .minor(try row.decode("amount")),
            fee: .minor(try row.decode("fee")), feeRate: Percentage(partsPerMillion: try row.decode("fee_ppm")),
            customerAccountNo: try row.decode("customer_account_no"), customerName: try row.decode("customer_name"),
            customerBankCode: try row.decode("customer_bank_code"),
            receivingAccount: ReceivingAccount(
                id: try row.decode("account_id"), bank: try row.decode("bank_code"), accountNo: try row.decode("account_no"),
                accountName: try row.decode("account_name"),
                promptPayID: try row.decode("promptpay_id", as: String?.self).flatMap(PromptPayID.init),
                active: try row.decode("active")),
            callbackURL: try row.decode("callback_url"), channel: try row.decode("channel"),
            expiresAt: try row.decode("expires_at"), createdAt: try row.decode("created_at"), paidAt: try row.decode("paid_at"))
    }
}
