import Foundation
import Payments
import Testing

/// KTB settings from the environment or a secrets file; never printed with their secrets.
@Suite struct KTBConfigurationTests {
    static let environment = [
        "SATANG_KTB_BASE_URL": "https://ktb.example/", "SATANG_KTB_CLIENT_ID": "client-1234", "SATANG_KTB_CLIENT_SECRET": "very-secret",
        "SATANG_KTB_VENDOR_ID": "001", "SATANG_KTB_COMPANY_ID": "AAAA000001", "SATANG_KTB_PARTNER_ID": "partner",
        "SATANG_KTB_CALLBACK_API_KEY": "callback-key-secret",
    ]

    @Test func fromTheEnvironmentWithoutShowingSecrets() throws {
        let configuration = try #require(try KTBConfiguration.load(file: nil, environment: Self.environment))
        #expect(configuration.baseURL == "https://ktb.example" && configuration.resubmitAfter == .seconds(3600))
        #expect(!configuration.description.contains("very-secret") && !configuration.description.contains("callback-key-secret"))
        #expect(try KTBConfiguration.load(file: nil, environment: [:]) == nil, "not configured at all")
        var half = Self.environment
        half["SATANG_KTB_CLIENT_SECRET"] = nil
        let error = #expect(throws: KTBProtocolError.self) { try KTBConfiguration.load(file: nil, environment: half) }
        #expect(error?.description.contains("SATANG_KTB_CLIENT_SECRET") == true)
    }

    @Test func fromASecretsFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ktb-\(UUID().uuidString).json")
        try Data(#"{"baseURL":"https://ktb.example","clientID":"c","clientSecret":"s","vendorID":"001","companyID":"AAAA000001","callbackPartnerID":"p","callbackAPIKey":"k","resubmitAfterSeconds":600}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = try #require(try KTBConfiguration.load(file: file.path, environment: [:]))
        #expect(configuration.resubmitAfter == .seconds(600) && configuration.vendorID == "001")
    }
}
