import Foundation
import Ledger

/// What an operator gives to create a merchant; `validated()` explains every field that is wrong.
public struct MerchantRegistration: Sendable {
    public var code: String
    public var name: String
    public var taxID: String?
    public var address: String?
    public var providers: [String]
    public var defaultProvider: String?
    public var feePercent: String?
    public var callbackURL: String?
    public var requireSignature: Bool
    public var allowedIPs: [String]
    public var paymentTimeToLiveSeconds: Int
    /// Accept `http://` callback URLs (development only).
    public var allowInsecureCallback: Bool

    public init(
        code: String, name: String, taxID: String? = nil, address: String? = nil, providers: [String],
        defaultProvider: String? = nil, feePercent: String? = nil, callbackURL: String? = nil,
        requireSignature: Bool = false, allowedIPs: [String] = [], paymentTimeToLiveSeconds: Int = 900,
        allowInsecureCallback: Bool = false
    ) {
        self.code = code
        self.name = name
        self.taxID = taxID
        self.address = address
        self.providers = providers
        self.defaultProvider = defaultProvider
        self.feePercent = feePercent
        self.callbackURL = callbackURL
        self.requireSignature = requireSignature
        self.allowedIPs = allowedIPs
        self.paymentTimeToLiveSeconds = paymentTimeToLiveSeconds
        self.allowInsecureCallback = allowInsecureCallback
    }

    /// The checked settings, or every problem at once.
    func validated() throws(MerchantError) -> ValidatedMerchant {
        var problems: [String: String] = [:]
        if code.range(of: #"^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$"#, options: .regularExpression) == nil {
            problems["code"] = "2 to 64 letters, digits, '-' or '_', starting with a letter or digit"
        }
        let name = self.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 200 { problems["name"] = "1 to 200 characters" }
        if let taxID, !PlainText.isDigits(taxID, 13...13) {
            problems["taxId"] = "a Thai tax id is 13 digits"
        }
        if let address, address.count > 500 { problems["address"] = "at most 500 characters" }
        var providers: [ProviderCode] = []
        for code in self.providers {
            guard let provider = ProviderCode(rawValue: code.uppercased()) else {
                problems["providers"] = "unknown provider \(code); known: KBANK, SCB, BBL, KTB"
                continue
            }
            if !providers.contains(provider) { providers.append(provider) }
        }
        if providers.isEmpty && problems["providers"] == nil { problems["providers"] = "at least one provider" }
        var defaultProvider: ProviderCode?
        if let code = self.defaultProvider {
            defaultProvider = ProviderCode(rawValue: code.uppercased())
            if defaultProvider == nil || !providers.contains(defaultProvider!) {
                problems["defaultProvider"] = "must be one of the merchant's providers"
            }
        }
        let fee = feePercent.map(Percentage.parse) ?? Percentage(partsPerMillion: 0)
        if fee == nil { problems["feePercent"] = "a percent from 0 to 100 with up to 4 decimals, e.g. 1.50" }
        if let url = callbackURL {
            let components = URLComponents(string: url)
            let schemeOK = components?.scheme == "https" || (allowInsecureCallback && components?.scheme == "http")
            if !schemeOK || components?.host?.isEmpty != false || url.count > 2048 {
                problems["callbackUrl"] = "an https:// URL with a host (at most 2048 characters)"
            }
        }
        for block in allowedIPs where !CIDRBlock.isValid(block) {
            problems["allowIp"] = "\(block) is not an IPv4 or IPv6 address or CIDR block"
        }
        if !(60...604_800).contains(paymentTimeToLiveSeconds) {
            problems["paymentTtlSeconds"] = "from 60 seconds to 7 days"
        }
        guard problems.isEmpty else { throw .invalid(problems) }
        return ValidatedMerchant(
            code: code, name: name, taxID: taxID, address: address, providers: providers,
            defaultProvider: defaultProvider, fee: fee!, callbackURL: callbackURL, requireSignature: requireSignature,
            allowedIPs: allowedIPs, paymentTimeToLiveSeconds: paymentTimeToLiveSeconds)
    }
}

/// Registration fields that passed validation.
struct ValidatedMerchant {
    var code: String
    var name: String
    var taxID: String?
    var address: String?
    var providers: [ProviderCode]
    var defaultProvider: ProviderCode?
    var fee: Percentage
    var callbackURL: String?
    var requireSignature: Bool
    var allowedIPs: [String]
    var paymentTimeToLiveSeconds: Int
}

/// Checks IP allow-list entries the way PostgreSQL's `cidr` type will read them.
public enum CIDRBlock {
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let address = String(parts[0])
        var v4 = in_addr()
        var v6 = in6_addr()
        let isV4 = inet_pton(AF_INET, address, &v4) == 1
        let isV6 = !isV4 && inet_pton(AF_INET6, address, &v6) == 1
        guard isV4 || isV6 else { return false }
        guard parts.count == 2 else { return true }
        guard let bits = Int(parts[1]) else { return false }
        return bits >= 0 && bits <= (isV4 ? 32 : 128)
    }

    /// Whether `address` (IPv4, IPv6, or IPv4 mapped into IPv6) lies in `block` (an address or CIDR block).
    public static func contains(_ block: String, address: String) -> Bool {
        let parts = block.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let network = bytes(of: String(parts[0])), let host = bytes(of: address), network.count == host.count else {
            return false
        }
        let prefix = parts.count == 2 ? Int(parts[1]) ?? -1 : network.count * 8
        guard prefix >= 0, prefix <= network.count * 8 else { return false }
        for bit in 0..<prefix where (network[bit / 8] ^ host[bit / 8]) & (0x80 >> UInt8(bit % 8)) != 0 { return false }
        return true
    }

    /// 4 bytes for IPv4 (also when written as ::ffff:a.b.c.d), 16 for IPv6; `nil` when not an address.
    private static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}
