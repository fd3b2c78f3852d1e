import API
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import NIOCore
import Payments
import PostgresClient
import SatangTestSupport
import Testing

/// What a gateway test works with: a merchant (1.5 % fee), a KBANK receiving account with a PromptPay id,
/// and a running server whose KBANK webhooks are signed with `providerSecret`.
struct GatewayFixture {
    var pool: PostgresPool
    var merchant: Merchant
    var credentials: APICredentials
    var account: ReceivingAccount
}

/// The gateway suites' shared set-up and the seeds' own ways of signing (written from the seeds, not
/// from Satang's code).
protocol GatewayTestSuite {}

extension GatewayTestSuite {
    typealias Fixture = GatewayFixture

    static var providerSecret: String { "kbank-webhook-secret-for-gateway-tests-0123" }

    func withGateway(
        _ label: String, allowedIPs: [String] = [], _ body: @escaping @Sendable (Fixture, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await withMigratedTestDatabase(label, poolSize: 8) { _, pool in
            let (merchant, credentials) = try await MerchantRegistry(pool: pool).create(MerchantRegistration(
                code: "testmerchant", name: "Test Merchant Co., Ltd.", providers: ["KBANK"], defaultProvider: "KBANK",
                feePercent: "1.50", allowedIPs: allowedIPs))
            let account = try await ReceivingAccounts(pool: pool).add(
                bank: "KBANK", accountNo: "1234567890", accountName: "Platform Bank Account", promptPayID: "0812223333")
            let app = buildApplication(
                settings: ServerSettings(port: 0, providerSecrets: ["KBANK": Self.providerSecret]), pool: pool, logger: Logger(label: "test"))
            try await app.test(.live) { client in
                try await body(Fixture(pool: pool, merchant: merchant, credentials: credentials, account: account), client)
            }
        }
    }

    // MARK: Signing as the seeds do

    static var nowMilliseconds: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Seed 001: HMAC-SHA256 hex over `key=value` sorted by key, joined with `&`, keyed with the API secret.
    static func dpaySignature(_ params: [String: String], secret: String) -> String {
        let text = params.keys.sorted().map { "\($0)=\(params[$0]!)" }.joined(separator: "&")
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Seed 000: `jwt.sign(sortedParams, apiKey, {algorithm: 'HS256', noTimestamp: true})`; `payload` is
    /// the JSON.stringify of the sorted params, written by the caller.
    static func jwt(payload: String, key: String) -> String {
        func base64url(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        let head = base64url(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + base64url(Data(payload.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(head.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return head + "." + base64url(Data(mac))
    }

    static func headers(_ fixture: Fixture, secret: Bool = true) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json", HTTPField.Name("X-API-Key")!: fixture.credentials.apiKey]
        if secret { fields[HTTPField.Name("X-API-Secret")!] = fixture.credentials.apiSecret }
        return fields
    }

    /// Seed 001's example request, signed like its JavaScript sample (amount and timestamp as strings).
    static func dpayDeposit(_ fixture: Fixture, amount: String = "1000.00", signedAmount: String? = nil, timestamp: Int64 = nowMilliseconds) -> String {
        let params = ["account_no": "1234567890", "acc_name": "John Doe", "bank_code": "KBANK", "amount": signedAmount ?? amount,
                      "callback_url": "https://your-domain.com/callback", "timestamp": "\(timestamp)"]
        let signature = dpaySignature(params, secret: fixture.credentials.apiSecret)
        return #"{"account_no":"1234567890","acc_name":"John Doe","bank_code":"KBANK","amount":\#(amount),"callback_url":"https://your-domain.com/callback","signature":"\#(signature)","timestamp":\#(timestamp)}"#
    }

    func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any] ?? [:]
    }
}
