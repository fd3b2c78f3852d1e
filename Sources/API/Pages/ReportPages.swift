import Foundation
import Ledger
import Payments

/// The accountants' report pages: plain HTML, printable, charts as inline SVG; no script, nothing fetched.
enum ReportPages {
    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(PaymentPage.escape(title)) — Satang</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
        nav a{margin-right:1rem} table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.9rem}
        th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:bottom} td{white-space:nowrap} td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
        tfoot td{font-weight:700;border-top:2px solid #444} .muted{color:#666}
        @media print{nav,form{display:none} body{margin:0;max-width:none}}
        </style></head><body>
        <nav><a href="/reports">Reports</a><a href="/reports/trial-balance">Trial balance</a><a href="/reports/balance-summary">Balance summary</a><a href="/reports/daily-volume">Daily volume</a></nav>
        <h1>\(PaymentPage.escape(title))</h1>
        \(body)
        </body></html>
        """
    }

    static func login(message: String?) -> String {
        page(title: "Sign in", body: """
            \(message.map { "<p class=\"muted\">\(PaymentPage.escape($0))</p>" } ?? "")
            <form method="post" action="/reports"><label>Accountant API key <input name="key" type="password" autocomplete="off" size="48"></label>
            <button type="submit">Open reports</button></form>
            """)
    }

    static func index(_ accountant: Accountant) -> String {
        page(title: "Reports", body: """
            <p class="muted">Signed in as \(PaymentPage.escape(accountant.name)). Every figure is computed from the postings.</p>
            <form method="post" action="/reports/logout"><button type="submit">Sign out</button></form>
            <ul><li><a href="/reports/trial-balance">Trial balance of all books</a></li>
            <li><a href="/reports/balance-summary">Balance summary per merchant</a></li>
            <li><a href="/reports/daily-volume">Daily volume and fees, with charts</a></li></ul>
            """)
    }

    static func table(_ columns: [String], _ rows: [[String]], numeric: Set<Int>, footer: [[String]] = []) -> String {
        func cells(_ row: [String], tag: String) -> String {
            row.enumerated().map { index, cell in "<\(tag)\(numeric.contains(index) ? " class=\"n\"" : "")>\(PaymentPage.escape(cell))</\(tag)>" }.joined()
        }
        return "<table><thead><tr>\(cells(columns, tag: "th"))</tr></thead><tbody>"
            + rows.map { "<tr>\(cells($0, tag: "td"))</tr>" }.joined(separator: "\n") + "</tbody>"
            + (footer.isEmpty ? "" : "<tfoot>" + footer.map { "<tr>\(cells($0, tag: "td"))</tr>" }.joined() + "</tfoot>") + "</table>"
    }

    static func trialBalance(_ trial: TrialBalance) -> String {
        let rows = trial.lines.map { [$0.bookCode, $0.accountCode, $0.type.rawValue, $0.debits.currency.code, $0.debits.decimalText,
                                      $0.credits.decimalText, $0.balance.decimalText] }
        let totals = trial.totals.map { ["Total", "", "", $0.currency.code, $0.debits.decimalText, $0.credits.decimalText, $0.balance.decimalText] }
        return page(title: "Trial balance", body: """
            <p class="muted">All books, now. Debits and credits per account; the totals, one per currency, net to zero.</p>
            \(table(["Book", "Account", "Type", "Currency", "Debits", "Credits", "Balance"], rows, numeric: [4, 5, 6], footer: totals))
            """)
    }

    static func report(_ report: Report, title: String, intro: String, charts: [String] = []) -> String {
        let numeric = Set(report.rows.first?.enumerated().compactMap { index, value -> Int? in
            if case .text = value { return nil } else { return index }
        } ?? [])
        return page(title: title, body: "<p class=\"muted\">\(PaymentPage.escape(intro))</p>\n" + charts.joined(separator: "\n")
            + table(report.columns.map { $0.replacingOccurrences(of: "_", with: " ") }, report.rows.map { $0.map(\.text) }, numeric: numeric)
            + report.problems.map { "<p><strong>Problem:</strong> \(PaymentPage.escape($0))</p>" }.joined())
    }
}
