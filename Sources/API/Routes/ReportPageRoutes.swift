import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import NIOCore
import Payments

/// `GET /reports`: HTML report pages for accountants (their key in `X-API-Key`, or entered once in the
/// sign-in form, which opens an 8-hour session whose random token — never the key — sits in an
/// HttpOnly, SameSite=Strict cookie). Trial balance, balance summary, daily volume with charts.
struct ReportPageRoutes: Sendable {
    let accountants: Accountants
    let sessions: ReportSessions
    /// Mark the cookie Secure (the public address is https).
    let secureCookie: Bool
    let ledger: Ledger
    let reports: AccountingReports

    static let cookie = "satang_reports"

    func register(on router: Router<SatangRequestContext>) {
        router.get("reports") { request, _ in
            guard let accountant = try await self.accountant(request) else { return Self.html(ReportPages.login(message: nil)) }
            return Self.html(ReportPages.index(accountant))
        }
        router.post("reports") { request, context in
            var request = request
            let form = String(buffer: try await request.collectBody(upTo: 4096))
            let key = form.split(separator: "&").compactMap { pair -> String? in
                let parts = pair.split(separator: "=", maxSplits: 1)
                return parts.count == 2 && parts[0] == "key" ? String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding : nil
            }.first ?? ""
            guard let accountant = try await accountants.authenticate(apiKey: key) else {
                return Self.html(ReportPages.login(message: "That is not an accountant's key."), status: .unauthorized)
            }
            let token = try await sessions.open(for: accountant)
            return Response(status: .seeOther, headers: [
                .location: "/reports",
                .setCookie: "\(Self.cookie)=\(token); Path=/reports; HttpOnly; SameSite=Strict; Max-Age=\(ReportSessions.lifetime.components.seconds)"
                    + (secureCookie ? "; Secure" : ""),
            ])
        }
        router.post("reports/logout") { request, _ in
            if let token = Self.sessionToken(request) { try await sessions.close(token: token) }
            return Response(status: .seeOther, headers: [
                .location: "/reports", .setCookie: "\(Self.cookie)=; Path=/reports; HttpOnly; SameSite=Strict; Max-Age=0",
            ])
        }
        router.get("reports/trial-balance") { request, _ in
            try await self.guarded(request) { _ in ReportPages.trialBalance(try await ledger.trialBalance()) }
        }
        router.get("reports/balance-summary") { request, _ in
            try await self.guarded(request) { _ in
                ReportPages.report(try await reports.balanceSummary(ReportScope()), title: "Balance summary",
                                   intro: "Per merchant, now: available, payouts in flight, collected at each provider, fees earned.")
            }
        }
        router.get("reports/daily-volume") { request, _ in
            try await self.guarded(request) { _ in
                let today = PeriodBoundary.parse(Date().formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "Asia/Bangkok")!).year().month().day())) ?? Date()
                let from = today.addingTimeInterval(-29 * 86_400)  // 30 whole Bangkok days, today included
                let volume = try await reports.dailyVolume(ReportScope(from: from))
                let fees = try await reports.fees(ReportScope(from: from, period: "day"))
                // Charts in baht; other currencies stay in the table below.
                let inflow = volume.rows.filter { $0[1].text == "THB" }.map { row -> (String, Double) in
                    (row[0].text, Self.amount(row[3]) + Self.amount(row[5]))
                }
                var feesByDay: [String: Double] = [:]
                for row in fees.rows where row[3].text == "THB" { feesByDay[row[0].text, default: 0] += Self.amount(row[5]) }
                return ReportPages.report(volume, title: "Daily volume", intro: "The last 30 days (Bangkok days), from the ledger entries.", charts: [
                    SVGBarChart(title: "Payments and deposits succeeded (THB)", bars: inflow).svg,
                    SVGBarChart(title: "Fees earned (THB)", bars: feesByDay.keys.sorted().map { ($0, feesByDay[$0]!) }).svg,
                ])
            }
        }
    }

    private func guarded(_ request: Request, _ page: (Accountant) async throws -> String) async throws -> Response {
        guard let accountant = try await accountant(request) else {
            return Self.html(ReportPages.login(message: "Sign in with an accountant's key to read reports."), status: .unauthorized)
        }
        return Self.html(try await page(accountant))
    }

    /// The accountant signed in by key (header) or session (cookie); merchants' keys do not open these pages.
    private func accountant(_ request: Request) async throws -> Accountant? {
        if let key = request.headers[MerchantAuthenticationMiddleware.apiKey] { return try await accountants.authenticate(apiKey: key) }
        guard let token = Self.sessionToken(request) else { return nil }
        return try await sessions.accountant(token: token)
    }

    static func sessionToken(_ request: Request) -> String? {
        guard let cookies = request.headers[.cookie] else { return nil }
        for pair in cookies.split(separator: ";") {
            let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == Self.cookie { return String(parts[1]) }
        }
        return nil
    }

    static func amount(_ value: Report.Value) -> Double {
        // Chart heights only; figures are printed from the exact amounts.
        if case .money(let money) = value { return Double(money.minorUnits) / pow(10, Double(money.currency.decimals)) }
        return 0
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
