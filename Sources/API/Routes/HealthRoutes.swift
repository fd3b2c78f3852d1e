import Foundation
import Hummingbird
import PostgresClient

/// `GET /api/v1/health`: whether Satang and its database can serve, in the gateway's documented shape.
struct HealthRoutes: Sendable {
    let pool: PostgresPool
    let startedAt: Date
    /// Shown so nobody mistakes a sandbox for a server talking to real banks.
    let sandbox: Bool

    /// The seed's health body: `{code, message, data: {status, timestamp, uptime}}`.
    struct Health: Encodable {
        struct Data: Encodable {
            var status: String
            var timestamp: String
            var uptime: Double
            var database: String
            var sandbox: Bool
        }
        var code: Int
        var message: String
        var data: Data
    }

    func register<Context: RequestContext>(on group: RouterGroup<Context>) {
        group.get("health") { _, _ in try await self.health() }
    }

    func health() async throws -> Response {
        let databaseReachable: Bool
        do {
            try await pool.query("SELECT 1")
            databaseReachable = true
        } catch {
            databaseReachable = false
        }
        let now = Date()
        let body = Health(
            code: databaseReachable ? 200 : 503,
            message: databaseReachable ? "OK" : "Database unreachable",
            data: .init(
                status: databaseReachable ? "healthy" : "unhealthy",
                timestamp: now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
                uptime: (now.timeIntervalSince(startedAt) * 10).rounded() / 10,
                database: databaseReachable ? "up" : "down", sandbox: sandbox))
        return try JSONBody.response(status: databaseReachable ? .ok : .serviceUnavailable, body)
    }
}
