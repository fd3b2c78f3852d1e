import API
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

/// The accountants' HTML pages: a sign-in form, then the trial balance, balance summary and daily volume
/// with inline SVG charts; nothing scripted, nothing fetched from elsewhere; merchants' keys stay out.
@Suite struct ReportPageTests {
    @Test func signInThenPagesWithChartsAndNoScript() async throws {
        try await withMigratedTestDatabase("reportpages", poolSize: 4) { _, pool in
            let (merchant, credentials) = try await MerchantRegistry(pool: pool).create(MerchantRegistration(
                code: "PAGESHOP", name: "Page Shop", providers: ["KBANK"], feePercent: "1.50"))
            let (_, key) = try await Accountants(pool: pool).create(name: "Auditor")
            _ = try await Ledger(pool: pool).post([
                try MoneyMovement.paymentSucceeded(book: merchant.bookID, paymentID: "P-1", provider: "KBANK", gross: .minor(123_456), fee: .minor(1_852)),
            ])
            let app = buildApplication(settings: ServerSettings(port: 0), pool: pool, logger: Logger(label: "test"))
            try await app.test(.live) { client in
                let form = try await client.execute(uri: "/reports", method: .get)
                #expect(form.status == .ok && String(buffer: form.body).contains("<form method=\"post\" action=\"/reports\">"))
                let wrong = try await client.execute(uri: "/reports", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                     body: ByteBuffer(string: "key=\(credentials.apiKey)"))
                #expect(wrong.status == .unauthorized, "a merchant's key does not open the pages")
                let signIn = try await client.execute(uri: "/reports", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                      body: ByteBuffer(string: "key=\(key)"))
                #expect(signIn.status == .seeOther)
                let cookie = try #require(signIn.headers[.setCookie])
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
                let session = String(cookie.split(separator: ";")[0])
                for (path, expected) in [("/reports/trial-balance", "1234.56"), ("/reports/balance-summary", "1216.04"),
                                         ("/reports/daily-volume", "<svg")] {
                    let page = try await client.execute(uri: path, method: .get, headers: [.cookie: session])
                    let html = String(buffer: page.body)
                    #expect(page.status == .ok && html.contains(expected), "\(path)")
                    #expect(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"), "\(path) stands alone")
                }
                let daily = String(buffer: try await client.execute(uri: "/reports/daily-volume", method: .get, headers: [.cookie: session]).body)
                #expect(daily.components(separatedBy: "<svg").count == 3 && daily.contains("<rect"), "two charts with bars")
                let header = try await client.execute(uri: "/reports/trial-balance", method: .get, headers: [HTTPField.Name("X-API-Key")!: key])
                #expect(header.status == .ok)
                let outside = try await client.execute(uri: "/reports/trial-balance", method: .get)
                #expect(outside.status == .unauthorized && String(buffer: outside.body).contains("Sign in"))
                #expect(!session.contains(key), "the cookie holds a session token, never the key")
                let out = try await client.execute(uri: "/reports/logout", method: .post, headers: [.cookie: session])
                #expect(out.status == .seeOther)
                let after = try await client.execute(uri: "/reports/trial-balance", method: .get, headers: [.cookie: session])
                #expect(after.status == .unauthorized, "signed out: the session is gone")
                // A session left to expire is purged by the retention sweeper.
                _ = try await client.execute(uri: "/reports", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                             body: ByteBuffer(string: "key=\(key)"))
                try await pool.query("UPDATE report_sessions SET expires_at = now() - interval '1 second'")
                #expect(try await RetentionSweeper(pool: pool, logger: Logger(label: "test")).sweepOnce().sessions == 1)
            }
        }
    }
}
