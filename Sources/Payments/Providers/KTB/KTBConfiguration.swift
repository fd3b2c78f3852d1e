import Foundation

/// How Satang reaches Krungthai's Direct Debit API and recognises its callbacks. Read from the environment
/// (`SATANG_KTB_*`) or a JSON secrets file; `description` never shows a secret.
public struct KTBConfiguration: Sendable, CustomStringConvertible {
    /// e.g. `https://api.krungthai.com` (or the simulator's address).
    public var baseURL: String
    public var clientID: String
    public var clientSecret: String
    /// The company code (`vendorID`, ≤ 10) and company id (`companyID`, ≤ 15) KTB gave the platform.
    public var vendorID: String
    public var companyID: String
    /// Sent in `msg-hdr.ipAddress`.
    public var ipAddress: String
    /// What a genuine callback carries in its `msg-hdr`.
    public var callbackPartnerID: String
    public var callbackAPIKey: String
    /// After this long without a registration-result callback a mandate may be submitted again (seed 004).
    public var resubmitAfter: Duration

    public init(
        baseURL: String, clientID: String, clientSecret: String, vendorID: String, companyID: String,
        ipAddress: String = "127.0.0.1", callbackPartnerID: String, callbackAPIKey: String, resubmitAfter: Duration = .seconds(3600)
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.vendorID = vendorID
        self.companyID = companyID
        self.ipAddress = ipAddress
        self.callbackPartnerID = callbackPartnerID
        self.callbackAPIKey = callbackAPIKey
        self.resubmitAfter = resubmitAfter
    }

    public var description: String {
        "KTB(baseURL: \(baseURL), clientID: \(clientID.prefix(4))…, vendorID: \(vendorID), companyID: \(companyID), secrets: redacted)"
    }

    /// The names of the settings, as environment variables and as keys of the secrets file.
    static let keys = [
        "baseURL": "SATANG_KTB_BASE_URL", "clientID": "SATANG_KTB_CLIENT_ID", "clientSecret": "SATANG_KTB_CLIENT_SECRET",
        "vendorID": "SATANG_KTB_VENDOR_ID", "companyID": "SATANG_KTB_COMPANY_ID", "ipAddress": "SATANG_KTB_IP_ADDRESS",
        "callbackPartnerID": "SATANG_KTB_PARTNER_ID", "callbackAPIKey": "SATANG_KTB_CALLBACK_API_KEY",
        "resubmitAfterSeconds": "SATANG_KTB_RESUBMIT_AFTER_SECONDS",
    ]

    /// From a JSON file (`{"baseURL": …, "clientID": …}`) when `file` is given, else from the environment;
    /// `nil` when KTB is not configured at all; an error naming what is missing when it is half configured.
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> KTBConfiguration? {
        var values: [String: String] = [:]
        if let file {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw KTBProtocolError("\(file) is not a JSON object of KTB settings")
            }
            for (key, value) in object { values[key] = "\(value)" }
        } else {
            for (key, variable) in keys { if let value = environment[variable], !value.isEmpty { values[key] = value } }
            guard !values.isEmpty else { return nil }
        }
        let required = ["baseURL", "clientID", "clientSecret", "vendorID", "companyID", "callbackPartnerID", "callbackAPIKey"]
        let missing = required.filter { values[$0] == nil }
        guard missing.isEmpty else {
            throw KTBProtocolError("KTB is half configured; missing " + missing.map { file == nil ? keys[$0]! : $0 }.joined(separator: ", "))
        }
        guard values["vendorID"]!.count <= 10, values["companyID"]!.count <= 15 else {
            throw KTBProtocolError("KTB vendorID is at most 10 characters and companyID at most 15")
        }
        let resubmit = values["resubmitAfterSeconds"].flatMap(Int64.init) ?? 3600
        return KTBConfiguration(
            baseURL: values["baseURL"]!, clientID: values["clientID"]!, clientSecret: values["clientSecret"]!,
            vendorID: values["vendorID"]!, companyID: values["companyID"]!, ipAddress: values["ipAddress"] ?? "127.0.0.1",
            callbackPartnerID: values["callbackPartnerID"]!, callbackAPIKey: values["callbackAPIKey"]!,
            resubmitAfter: .seconds(max(60, resubmit)))
    }
}
