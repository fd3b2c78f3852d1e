import Foundation
import Payments

/// Where the HTTP server listens, and the secrets it checks provider webhooks with.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// Provider code → the secret its webhooks are signed with (HMAC-SHA256 over `timestamp.body`).
    public var providerSecrets: [String: String]
    /// Run the built-in sandbox bank for every provider (demo and tests; never in production).
    public var sandbox: Bool
    /// Development only: deliver callbacks over http and to private or loopback addresses.
    public var allowInsecureCallbacks: Bool
    /// How long a submission to a provider may take before the dispatcher may take the payment over.
    public var submissionLease: Duration
    /// The address customers reach this server at, for the QR image and payment page links in deposit
    /// answers (e.g. `https://pay.example.com`); without it, `http://` and the request's Host header.
    public var publicURL: String?
    /// Load balancers whose `X-Forwarded-For` is believed (addresses or CIDR blocks), for IP allow-lists.
    public var trustedProxies: [String] = []
    /// Krungthai Direct Debit (mandates and their callback); `nil` when not configured.
    public var ktb: KTBConfiguration?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, providerSecrets: [String: String] = [:], sandbox: Bool = false,
        allowInsecureCallbacks: Bool = false, submissionLease: Duration = .seconds(60)
    ) {
        self.allowInsecureCallbacks = allowInsecureCallbacks
        self.submissionLease = submissionLease
        self.host = host
        self.port = port
        self.providerSecrets = providerSecrets
        self.sandbox = sandbox
        if sandbox {
            // The sandbox signs its webhooks with a secret of this process unless one is configured.
            for code in ["KBANK", "SCB", "BBL", "KTB"] where self.providerSecrets[code] == nil {
                self.providerSecrets[code] = "sandbox-" + UUID().uuidString
            }
        }
    }

    /// `SATANG_PROVIDER_SECRET_KBANK`, `…_SCB`, … from the environment; never logged.
    public static func providerSecrets(from environment: [String: String] = ProcessInfo.processInfo.environment)
        -> [String: String]
    {
        var secrets: [String: String] = [:]
        for code in ["KBANK", "SCB", "BBL", "KTB"] {
            if let secret = environment["SATANG_PROVIDER_SECRET_\(code)"], !secret.isEmpty { secrets[code] = secret }
        }
        return secrets
    }
}
