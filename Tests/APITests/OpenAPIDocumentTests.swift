import API
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import PostgresClient
import SatangTestSupport
import Testing

/// `GET /openapi.yaml` is a valid OpenAPI 3.1 document (checked by openapi-spec-validator) naming every route.
@Suite struct OpenAPIDocumentTests {
    @Test func theServedDocumentIsValidAndComplete() async throws {
        let pool = PostgresPool(configuration: .init(connection: PostgresConfiguration(connectionString: "postgres://127.0.0.1:1/none"), size: 1))
        let app = buildApplication(settings: ServerSettings(port: 0), pool: pool, logger: Logger(label: "test"))
        try await app.test(.live) { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            let yaml = String(buffer: response.body)
            for path in ["/api/v1/health:", "/api/v1/payments:", "/api/v1/payments/{id}:", "/api/v1/payments/{id}/events:",
                         "/api/v1/payments/{id}/receipt:", "/api/v1/exceptions:", "/api/v1/webhooks/providers/{provider}:",
                         "/openapi.yaml:", "/api/v1/client/banks:", "/api/v1/banks:", "/api/v1/deposit/create:",
                         "/api/v1/deposit/{id}:", "/api/v1/deposit/status/{id}:", "/api/v1/deposit/{id}/qrcode.png:",
                         "/api/v1/deposits:", "/api/v1/deposit/{id}/cancel:", "/pay/{id}:", "/api/v1/sandbox/deposit/{id}/pay:",
                         "/api/v1/payout/create:", "/api/v1/payout/{id}:", "/api/v1/payout/status/{id}:", "/api/v1/payouts:",
                         "/api/v1/payout/{id}/cancel:", "/api/v1/balance:", "/api/v1/order:", "/api/v1/jwt/create:",
                         "/api/v1/direct-debit/registrations:", "/api/v1/direct-debit/registrations/{id}:",
                         "/api/v1/direct-debit/registrations/{id}/resubmit:", "/api/v1/webhooks/ktb/ddr:",
                         "/api/v1/reports/trial-balance:", "/api/v1/reports/statement:", "/api/v1/reports/{name}:"] {
                #expect(yaml.contains("  \(path)\n"), "missing \(path)")
            }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("satang-openapi-\(UUID().uuidString).yaml")
            try yaml.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            // The test command installs openapi-spec-validator; a missing validator fails here, never skips.
            let output = try ChildProcess.currentUser.run("/usr/bin/env", ["python3", "-m", "openapi_spec_validator", file.path])
            #expect(output.contains("OK"), "\(output)")
        }
    }
}
