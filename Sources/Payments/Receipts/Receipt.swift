import Foundation
import Ledger
import PostgresClient

/// An issued receipt: immutable, numbered per merchant and year; the amount includes 7 % VAT.
public struct Receipt: Sendable, Hashable {
    public var number: String
    public var issuedAt: Date
    public var sellerName: String
    public var sellerAddress: String?
    public var sellerTaxID: String?
    public var payer: String?
    public var description: String?
    public var paymentID: UUID
    public var provider: ProviderCode
    public var total: Money
    public var base: Money
    public var vat: Money

    /// The receipt of the merchant's payment, or `nil` while the payment has not succeeded.
    public static func find(paymentID: UUID, merchantID: Int64, pool: PostgresPool) async throws -> Receipt? {
        let rows = try await pool.query(
            """
            SELECT number, issued_at, seller_name, seller_address, seller_tax_id, payer, description, payment_id, provider,
                   currency::text AS currency, total, base, vat
              FROM receipts WHERE payment_id = $1::uuid AND merchant_id = $2::int8
            """, [.uuid(paymentID), .int64(merchantID)])
        guard let row = rows.first else { return nil }
        let currency = try row.decode("currency", as: Currency.self)
        return Receipt(
            number: try row.decode("number"), issuedAt: try row.decode("issued_at"), sellerName: try row.decode("seller_name"),
            sellerAddress: try row.decode("seller_address"), sellerTaxID: try row.decode("seller_tax_id"),
            payer: try row.decode("payer"), description: try row.decode("description"), paymentID: try row.decode("payment_id"),
            provider: try row.decode("provider"),
            total: .minor(try row.decode("total"), currency), base: .minor(try row.decode("base"), currency),
            vat: .minor(try row.decode("vat"), currency))
    }
}
