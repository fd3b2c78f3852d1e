import Foundation
import Ledger
import PostgresClient

/// Creates, finds, lists and disables merchants, and recognises them by API key.
public struct MerchantRegistry: Sendable {
    let pool: PostgresPool
    let keyCache: MerchantKeyCache?

    /// `keyCache` (shared by the registries of one server) saves `authenticate` its query while it can be trusted.
    public init(pool: PostgresPool, keyCache: MerchantKeyCache? = nil) {
        self.pool = pool
        self.keyCache = keyCache
    }

    /// Creates the merchant, its ledger book and chart in one transaction, and returns the credentials,
    /// which exist nowhere else in clear: show them to the operator once.
    public func create(_ registration: MerchantRegistration) async throws -> (Merchant, APICredentials) {
        let merchant = try registration.validated()
        let credentials = APICredentials.generate()
        do {
            let created = try await pool.transaction { connection -> Merchant in
                let book = try Ledger.openBook(code: merchant.code, name: merchant.name, on: connection)
                _ = try Ledger.openAccounts(
                    AccountSpec.merchantChart(providers: merchant.providers.map(\.rawValue)), in: book.id, on: connection)
                let row = try connection.query(
                    """
                    INSERT INTO merchants (code, name, tax_id, address, providers, default_provider, fee_ppm, callback_url,
                                           require_signature, allowed_ips, payment_ttl_seconds, api_key_hash,
                                           api_key_prefix, api_secret, book_id)
                    VALUES ($1::text, $2::text, $3::text, $4::text, $5::text[], $6::text, $7::int8, $8::text, $9::bool,
                            $10::text[]::inet[], $11::int4, $12::bytea, $13::text, $14::text, $15::int8)
                    RETURNING \(Self.columns)
                    """,
                    [.string(merchant.code), .string(merchant.name), .optional(merchant.taxID, PostgresValue.string),
                     .optional(merchant.address, PostgresValue.string), .stringArray(merchant.providers.map(\.rawValue)),
                     .optional(merchant.defaultProvider?.rawValue, PostgresValue.string),
                     .int64(merchant.fee.partsPerMillion), .optional(merchant.callbackURL, PostgresValue.string),
                     .bool(merchant.requireSignature), .stringArray(merchant.allowedIPs),
                     .int32(Int32(merchant.paymentTimeToLiveSeconds)), .bytes(APICredentials.hash(apiKey: credentials.apiKey)),
                     .string(APICredentials.prefix(of: credentials.apiKey)), .string(credentials.apiSecret),
                     .int64(book.id)]
                ).single!
                return try Self.merchant(from: row)
            }
            return (created, credentials)
        } catch let error as PostgresError where error.isUniqueViolation {
            // The book code and the merchant code are the same; either clash means the code is taken.
            throw MerchantError.duplicateCode(merchant.code)
        }
    }

    /// The merchant with this code, disabled or not.
    public func merchant(code: String) async throws -> Merchant {
        let rows = try await pool.query("SELECT \(Self.columns) FROM merchants WHERE code = $1::text", [.string(code)])
        guard let row = rows.first else { throw MerchantError.notFound(code) }
        return try Self.merchant(from: row)
    }

    /// Every merchant, by code.
    public func list() async throws -> [Merchant] {
        try await pool.query("SELECT \(Self.columns) FROM merchants ORDER BY code").map(Self.merchant(from:))
    }

    /// Disables the merchant: its key stops working at once. Disabling twice keeps the first time.
    @discardableResult
    public func disable(code: String) async throws -> Merchant {
        let rows = try await pool.query(
            "UPDATE merchants SET disabled_at = coalesce(disabled_at, now()) WHERE code = $1::text RETURNING \(Self.columns)",
            [.string(code)])
        keyCache?.forgetAll()
        guard let row = rows.first else { throw MerchantError.notFound(code) }
        return try Self.merchant(from: row)
    }

    /// The enabled merchant whose API key this is, with its HMAC secret, or `nil`.
    ///
    /// The key is looked up by its SHA-256, so no comparison ever sees the key itself.
    public func authenticate(apiKey: String) async throws -> (Merchant, secret: String)? {
        guard !apiKey.isEmpty, apiKey.count <= 256 else { return nil }
        let keyHash = APICredentials.hash(apiKey: apiKey)
        let cached = keyCache?.lookup(keyHash)
        if let hit = cached?.hit { return (hit.merchant, hit.secret) }
        let rows = try await pool.query(
            "SELECT \(Self.columns), api_secret FROM merchants WHERE api_key_hash = $1::bytea AND disabled_at IS NULL",
            [.bytes(keyHash)])
        guard let row = rows.first else { return nil }
        let (merchant, secret) = (try Self.merchant(from: row), try row.decode("api_secret", as: String.self))
        if let generation = cached?.generation { keyCache?.store(keyHash, merchant: merchant, secret: secret, generation: generation) }
        return (merchant, secret)
    }

    static let columns = """
        id, code, name, tax_id, address, providers, default_provider, fee_ppm, callback_url, require_signature,
        ARRAY(SELECT abbrev(ip) FROM unnest(allowed_ips) AS ip) AS allowed_ips, payment_ttl_seconds, book_id,
        api_key_prefix, disabled_at, created_at
        """

    static func merchant(from row: PostgresRow) throws -> Merchant {
        Merchant(
            id: try row.decode("id"), code: try row.decode("code"), name: try row.decode("name"),
            taxID: try row.decode("tax_id"), address: try row.decode("address"),
            providers: try row.decode("providers", as: [String].self).compactMap(ProviderCode.init(rawValue:)),
            defaultProvider: try row.decode("default_provider", as: String?.self).flatMap(ProviderCode.init(rawValue:)),
            feeRate: Percentage(partsPerMillion: try row.decode("fee_ppm")), callbackURL: try row.decode("callback_url"),
            requireSignature: try row.decode("require_signature"), allowedIPs: try row.decode("allowed_ips"),
            paymentTimeToLive: .seconds(try row.decode("payment_ttl_seconds", as: Int.self)),
            bookID: try row.decode("book_id"), apiKeyPrefix: try row.decode("api_key_prefix"),
            disabledAt: try row.decode("disabled_at"), createdAt: try row.decode("created_at"))
    }
}
