import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresClient
import SatangTestSupport
import Testing

/// `GET /api/v1/health` over real HTTP: healthy with a reachable database, 503 `unhealthy` without one.
@Suite struct HealthEndpointTests {
    struct Health: Decodable {
        struct Data: Decodable {
            var status: String
            var timestamp: String
            var uptime: Double
        }
        var code: Int
        var message: String
        var data: Data
    }

    @Test func answersHealthyInTheGatewayShape() async throws {
        try await withTestDatabase("health") { _, pool in
            let app = buildApplication(
                settings: ServerSettings(host: "127.0.0.1", port: 0), pool: pool, logger: Logger(label: "test"),
                startedAt: Date().addingTimeInterval(-3))
            try await app.test(.live) { client in
                try await client.execute(uri: "/api/v1/health", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                    #expect(response.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false)
                    let health = try JSONDecoder().decode(Health.self, from: Data(String(buffer: response.body).utf8))
                    #expect(health.code == 200)
                    #expect(health.message == "OK")
                    #expect(health.data.status == "healthy")
                    #expect(health.data.uptime >= 3)
                    #expect(health.data.timestamp.hasSuffix("Z"))
                    #expect(ISO8601DateFormatter.withFractionalSeconds.date(from: health.data.timestamp) != nil)
                }
            }
        }
    }

    @Test func answersUnhealthyWith503WhenTheDatabaseIsDown() async throws {
        let pool = PostgresPool(
            configuration: .init(
                connection: PostgresConfiguration(connectionString: "postgres://postgres@127.0.0.1:1/none"), size: 1))
        let app = buildApplication(settings: ServerSettings(port: 0), pool: pool, logger: Logger(label: "test"))
        try await app.test(.live) { client in
            try await client.execute(uri: "/api/v1/health", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let health = try JSONDecoder().decode(Health.self, from: Data(String(buffer: response.body).utf8))
                #expect(health.code == 503)
                #expect(health.data.status == "unhealthy")
            }
        }
    }

    @Test func unknownRoutesAnswerInSatangsErrorShape() async throws {
        try await withTestDatabase("notfound") { _, pool in
            let app = buildApplication(settings: ServerSettings(port: 0), pool: pool, logger: Logger(label: "test"))
            try await app.test(.live) { client in
                try await client.execute(
                    uri: "/api/v1/nope", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "trace-123"]
                ) { response in
                    #expect(response.status == .notFound)
                    #expect(response.headers[HTTPField.Name("X-Request-Id")!] == "trace-123")
                    let body = try JSONDecoder().decode([String: String].self, from: Data(String(buffer: response.body).utf8))
                    #expect(body["errorCode"] == "NOT_FOUND")
                    #expect(body["message"]?.isEmpty == false)
                }
            }
        }
    }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let withFractionalSeconds: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
