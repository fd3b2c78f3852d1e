import Foundation

/// Where the HTTP server listens, and the secrets it checks provider webhooks with.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// Provider code → the secret its webhooks are signed with (HMAC-SHA256 over `timestamp.body`).
    public var providerSecrets: [String: String]

    public init(host: String = "127.0.0.1", port: Int = 8080, providerSecrets: [String: String] = [:]) {
        self.host = host
        self.port = port
        self.providerSecrets = providerSecrets
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
