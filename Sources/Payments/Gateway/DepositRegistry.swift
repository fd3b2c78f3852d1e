import Foundation
import Ledger
import PostgresClient

/// Creates, reads, lists and cancels gateway deposits. Each deposit is a payment that starts PENDING
/// (there is nothing to submit: the customer pays by QR or transfer, and the bank's webhook confirms it
/// through `PaymentConfirmation`, like any payment).
public struct DepositRegistry: Sendable {
    let pool: PostgresPool
    /// Accept `http://` callback URLs (development only).
    public var allowInsecureCallbacks = false

    public init(pool: PostgresPool) { self.pool = pool }

    /// Validates and creates the deposit in one transaction: the receiving account, a unique amount, the
    /// payment (PENDING) with its first event, the deposit row and, when given, the idempotency key with
    /// `render`'s response.
    public func create(
        _ request: DepositRequest, by merchant: Merchant, idempotency: IdempotentRequest?,
        render: @escaping @Sendable (Deposit) -> StoredResponse
    ) async throws -> IdempotentOutcome<Deposit> {
        let valid = try request.validated(
            knownBanks: try await BankDirectory(pool: pool).activeCodes(), allowInsecureCallback: allowInsecureCallbacks)
        do {
            // Two DEP references drawing the same random part is retried with a new draw.
            return try await IdempotencyKeys.create(idempotency, merchantID: merchant.id, on: pool, retryingOn: "deposits_reference_key") {
                let deposit = try Self.insert(valid, merchant: merchant, on: $0)
                return (deposit, render(deposit))
            }
        } catch let error as PostgresError where error.isUniqueViolation && error.constraint == "payments_source_payment_key" {
            throw DepositError.duplicateReference(valid.merchantReference ?? "")
        }
    }

    private static func insert(_ valid: ValidatedTransfer, merchant: Merchant, on connection: PostgresConnection) throws -> Deposit {
        let accountRow = try connection.query(
            """
            SELECT \(ReceivingAccounts.columns) FROM receiving_accounts
             WHERE active AND bank_code = ANY ($1::text[])
             ORDER BY bank_code = $2::text DESC, created_at, id LIMIT 1
            """,
            [.stringArray(merchant.providers.map(\.rawValue)), .string(merchant.defaultProvider?.rawValue ?? "")]
        ).first
        guard let accountRow else { throw DepositError.noReceivingAccount }
        let account = try ReceivingAccounts.account(accountRow)
        let paymentID = UUID.timeOrdered()
        let amount = try claimUniqueAmount(below: valid.amount, account: account.id, payment: paymentID, on: connection)
        let fee = merchant.feeRate.of(amount)
        guard fee.minorUnits < amount.minorUnits else {
            throw DepositError.validation(["amount": "must be more than its fee of \(fee.decimalText)"])
        }
        let reference = Self.newReference()
        let row = try connection.query(
            """
            WITH payment AS (
                INSERT INTO payments (id, merchant_id, source_payment_id, provider, amount, currency, description, status, expires_at)
                VALUES ($1::uuid, $2::int8, $3::text, $4::text, $5::int8, 'THB', $6::text, 'PENDING',
                        now() + make_interval(secs => $7::int8))
                RETURNING id, created_at, expires_at
            ), event AS (
                INSERT INTO payment_events (payment_id, from_status, to_status, actor, reason)
                SELECT id, NULL, 'PENDING', $8::text, 'deposit created' FROM payment
            )
            INSERT INTO deposits (payment_id, reference, merchant_id, requested_amount, fee, fee_ppm, receiving_account_id,
                                  customer_account_no, customer_name, customer_bank_code, callback_url, channel, created_at)
            SELECT id, $9::text, $2::int8, $10::int8, $11::int8, $12::int8, $13::uuid, $14::text, $15::text, $16::text,
                   $17::text, $18::text, created_at
              FROM payment
            RETURNING created_at, (SELECT expires_at FROM payment) AS expires_at
            """,
            [.uuid(paymentID), .int64(merchant.id), .string(valid.merchantReference ?? reference),
             .string(account.bank.rawValue), .int64(amount.minorUnits), .string("Deposit \(reference)"),
             .int64(merchant.paymentTimeToLive.components.seconds), .string("merchant:\(merchant.code)"),
             .string(reference), .int64(valid.amount.minorUnits), .int64(fee.minorUnits),
             .int64(merchant.feeRate.partsPerMillion), .uuid(account.id), .string(valid.customerAccountNo),
             .string(valid.customerName), .string(valid.customerBankCode), .string(valid.callbackURL), .string(valid.channel)]
        ).single!
        return Deposit(
            paymentID: paymentID, reference: reference, merchantID: merchant.id, merchantReference: valid.merchantReference,
            status: .pending, requestedAmount: valid.amount, amount: amount, fee: fee, feeRate: merchant.feeRate,
            customerAccountNo: valid.customerAccountNo, customerName: valid.customerName,
            customerBankCode: valid.customerBankCode, receivingAccount: account, callbackURL: valid.callbackURL,
            channel: valid.channel, expiresAt: try row.decode("expires_at"), createdAt: try row.decode("created_at"),
            paidAt: nil)
    }

    /// Holds the largest free amount at or below `requested` (at most 10 baht below, never under 1 baht)
    /// at the receiving account. Two deposits racing for the same amount: the second waits on the first's
    /// claim row, finds it taken when the first commits, and takes the next satang down.
    static func claimUniqueAmount(below requested: Money, account: UUID, payment: UUID, on connection: PostgresConnection) throws -> Money {
        let floor = max(requested.minorUnits - 999, DepositRequest.minimum.minorUnits)
        // Each round either takes an amount or waits for a competitor's commit, so this ends well within
        // the 1,000 candidates.
        for _ in 0..<1_000 {
            let claimed = try connection.query(
                """
                WITH candidate AS (
                    SELECT a FROM generate_series($2::int8, $3::int8, -1) AS a
                     WHERE NOT EXISTS (SELECT 1 FROM deposit_amount_claims c WHERE c.receiving_account_id = $1::uuid AND c.amount = a)
                     LIMIT 1
                )
                INSERT INTO deposit_amount_claims (receiving_account_id, amount, payment_id)
                SELECT $1::uuid, a, $4::uuid FROM candidate
                ON CONFLICT DO NOTHING
                RETURNING amount
                """, [.uuid(account), .int64(requested.minorUnits), .int64(floor), .uuid(payment)])
            if let row = claimed.first { return Money.minor(try row.decode("amount")) }
            let anyFree = try connection.query(
                """
                SELECT EXISTS (SELECT 1 FROM generate_series($2::int8, $3::int8, -1) AS a
                                WHERE NOT EXISTS (SELECT 1 FROM deposit_amount_claims c
                                                   WHERE c.receiving_account_id = $1::uuid AND c.amount = a)) AS free
                """, [.uuid(account), .int64(requested.minorUnits), .int64(floor)]).single!
            guard try anyFree.decode("free", as: Bool.self) else { break }
        }
        throw DepositError.noUniqueAmount
    }

    /// `DEP`, the Unix time in seconds, and six random capitals or digits (seed 001's `txn_id` format).
    static func newReference() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        let random = String((0..<6).map { _ in alphabet.randomElement(using: &generator)! })
        return "DEP\(Int64(Date().timeIntervalSince1970))\(random)"
    }
}
