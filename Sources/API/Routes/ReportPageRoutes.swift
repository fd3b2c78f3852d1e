import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import NIOCore
import Payments

/// `GET /reports`: HTML report pages for accountants (their key in `X-API-Key`, or entered once in the
/// sign-in form, kept in an HttpOnly, SameSite=Strict cookie). Trial balance, balance summary, daily
/// volume with charts of volume and fees.
struct ReportPageRoutes: Sendable {
    let accountants: Accountants
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
            guard try await accountants.authenticate(apiKey: key) != nil else {
                return Self.html(ReportPages.login(message: "That is not an accountant's key."), status: .unauthorized)
            }
            return Response(status: .seeOther, headers: [
                .location: "/reports",
                .setCookie: "\(Self.cookie)=\(key); Path=/reports; HttpOnly; SameSite=Strict; Max-Age=28800",
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
                let from = Date().addingTimeInterval(-30 * 86_400)
                let volume = try await reports.dailyVolume(ReportScope(from: from))
                let fees = try await reports.fees(ReportScope(from: from, period: "day"))
                let inflow = volume.rows.map { row -> (String, Double) in
                    (row[0].text, Self.amount(row[2]) + Self.amount(row[4]))
                }
                var feesByDay: [String: Double] = [:]
                for row in fees.rows { feesByDay[row[0].text, default: 0] += Self.amount(row[5]) }
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

    /// The accountant signed in by header or cookie; merchants' keys do not open these pages.
    private func accountant(_ request: Request) async throws -> Accountant? {
        var key = request.headers[MerchantAuthenticationMiddleware.apiKey]
        if key == nil, let cookies = request.headers[.cookie] {
            for pair in cookies.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == Self.cookie { key = String(parts[1]) }
            }
        }
        guard let key else { return nil }
        return try await accountants.authenticate(apiKey: key)
    }

    static func amount(_ value: Report.Value) -> Double {
        if case .money(let money) = value { return Double(money.minorUnits) / 100 }
        return 0
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
