import Foundation
import Ledger
import PostgresClient

/// The accountants' reports built from the postings and receipts themselves (never from running totals
/// kept elsewhere), so each figure reconciles to the ledger.
public struct AccountingReports: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    public static let names = ["balance-summary", "fees", "daily-volume", "receipts", "exceptions"]

    public func report(_ name: String, scope: ReportScope) async throws -> Report? {
        switch name {
        case "balance-summary": try await balanceSummary(scope)
        case "fees": try await fees(scope)
        case "daily-volume": try await dailyVolume(scope)
        case "receipts": try await receipts(scope)
        case "exceptions": try await exceptions(scope)
        default: nil
        }
    }

    /// Summary totals named `name` when every row is in one currency, `name_CUR` per currency otherwise
    /// (amounts in different currencies are never added together).
    static func totals(_ groups: [(String, [Currency: Int64])]) -> [(String, Report.Value)] {
        groups.flatMap { name, byCurrency -> [(String, Report.Value)] in
            if byCurrency.count <= 1 {
                let (currency, sum) = byCurrency.first ?? (.thb, 0)
                return [(name, .money(.minor(sum, currency)))]
            }
            return byCurrency.keys.sorted { $0.code < $1.code }.map { ("\(name)_\($0.code)", .money(.minor(byCurrency[$0]!, $0))) }
        }
    }

    /// Per merchant: available, payouts in flight, collected at each provider, fees earned (now).
    public func balanceSummary(_ scope: ReportScope) async throws -> Report {
        let rows = try await pool.query(
            """
            SELECT m.code, a.code AS account, a.currency::text AS currency, a.balance
              FROM merchants m JOIN ledger_accounts a ON a.book_id = m.book_id
             WHERE $1::int8 IS NULL OR m.id = $1::int8
             ORDER BY m.code, a.currency, a.code
            """, [.optional(scope.merchantID, PostgresValue.int64)])
        let providers = ProviderCode.allCases.map(\.rawValue)
        var report = Report(name: "balance-summary", columns: ["merchant", "currency", "available", "payouts_in_flight"]
            + providers.map { "collected_\($0)" } + ["fees_earned"])
        var current: (merchant: String, currency: Currency, cells: [String: Money])?
        func flush() {
            guard let current else { return }
            func cell(_ name: String) -> Report.Value { .money(current.cells[name] ?? .zero(current.currency)) }
            report.rows.append([.text(current.merchant), .text(current.currency.code), cell("available"), cell("payouts_in_flight")]
                + providers.map { cell("collected_\($0)") } + [cell("fees_earned")])
        }
        for row in rows {
            let merchant: String = try row.decode("code")
            let currency = try row.decode("currency", as: Currency.self)
            if current?.merchant != merchant || current?.currency != currency {
                flush()
                current = (merchant, currency, [:])
            }
            let balance: Int64 = try row.decode("balance")
            let account: String = try row.decode("account")
            let column: String? = switch account {
            case AccountCode.merchantAvailable: "available"
            case AccountCode.payoutsInFlight: "payouts_in_flight"
            case AccountCode.fees: "fees_earned"
            case let code where code.hasPrefix("provider:"): "collected_\(code.dropFirst("provider:".count))"
            default: nil
            }
            // Liabilities and revenue are shown as the positive amounts they are (credit-normal).
            let shown = account.hasPrefix("provider:") ? balance : -balance
            if let column { current?.cells[column] = .minor(shown, currency) }
        }
        flush()
        return report
    }

    /// Fees earned per period (Bangkok day or month), merchant and provider: every posting to `fees`,
    /// with the provider of the entry it belongs to.
    public func fees(_ scope: ReportScope) async throws -> Report {
        let rows = try await pool.query(
            """
            SELECT to_char(date_trunc($4::text, p.posted_at AT TIME ZONE 'Asia/Bangkok'),
                           CASE WHEN $4::text = 'month' THEN 'YYYY-MM' ELSE 'YYYY-MM-DD' END) AS period,
                   m.code AS merchant, coalesce(substr(pa.code, 10), '') AS provider, p.currency::text AS currency,
                   count(*) AS entries, -sum(p.amount) AS fees
              FROM ledger_postings p
              JOIN ledger_accounts a ON a.id = p.account_id AND a.code = 'fees'
              JOIN merchants m ON m.book_id = a.book_id
              LEFT JOIN LATERAL (
                    SELECT ac.code FROM ledger_postings q JOIN ledger_accounts ac ON ac.id = q.account_id
                     WHERE q.entry_id = p.entry_id AND ac.code LIKE 'provider:%' LIMIT 1) AS pa ON true
             WHERE ($1::int8 IS NULL OR m.id = $1::int8)
               AND ($2::timestamptz IS NULL OR p.posted_at >= $2::timestamptz)
               AND ($3::timestamptz IS NULL OR p.posted_at < $3::timestamptz)
             GROUP BY 1, 2, 3, 4
             ORDER BY 1, 2, 3
            """, [.optional(scope.merchantID, PostgresValue.int64), .optional(scope.from, PostgresValue.date),
                  .optional(scope.to, PostgresValue.date), .string(scope.period)])
        var report = Report(name: "fees", columns: ["period", "merchant", "provider", "currency", "entries", "fees"])
        var totals: [Currency: Int64] = [:]
        for row in rows {
            let currency = try row.decode("currency", as: Currency.self)
            let fees: Int64 = try row.decode("fees")
            totals[currency, default: 0] += fees
            report.rows.append([.text(try row.decode("period")), .text(try row.decode("merchant")), .text(try row.decode("provider")),
                                .text(currency.code), .count(try row.decode("entries")), .money(.minor(fees, currency))])
        }
        report.summary = Self.totals([("fees_total", totals)])
        return report
    }

    /// Per Bangkok day: registry payments and gateway deposits succeeded, payouts completed, refunds —
    /// counts and sums, from the ledger entries that booked them.
    public func dailyVolume(_ scope: ReportScope) async throws -> Report {
        let rows = try await pool.query(
            """
            SELECT to_char(e.posted_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD') AS day,
                   CASE WHEN e.kind = 'payment.succeeded' AND d.payment_id IS NOT NULL THEN 'deposits_succeeded'
                        WHEN e.kind = 'payment.succeeded' THEN 'payments_succeeded'
                        WHEN e.kind = 'payout.completed' THEN 'payouts_completed'
                        WHEN e.kind = 'payout.refunded' THEN 'payouts_refunded'
                        ELSE 'reversals' END AS what,
                   p.currency::text AS currency, count(*) AS n, sum(abs(p.amount)) AS amount
              FROM ledger_entries e
              JOIN merchants m ON m.book_id = e.book_id
              JOIN ledger_postings p ON p.entry_id = e.id AND p.line_number = 1  -- MoneyMovement puts the whole amount on line 1
              LEFT JOIN deposits d ON e.kind = 'payment.succeeded' AND d.payment_id::text = e.reference
             WHERE e.kind IN ('payment.succeeded', 'payout.completed', 'payout.refunded', 'reversal')
               AND ($1::int8 IS NULL OR m.id = $1::int8)
               AND ($2::timestamptz IS NULL OR e.posted_at >= $2::timestamptz)
               AND ($3::timestamptz IS NULL OR e.posted_at < $3::timestamptz)
             GROUP BY 1, 2, 3 ORDER BY 1, 3, 2
            """, [.optional(scope.merchantID, PostgresValue.int64), .optional(scope.from, PostgresValue.date),
                  .optional(scope.to, PostgresValue.date)])
        let kinds = ["payments_succeeded", "deposits_succeeded", "payouts_completed", "payouts_refunded", "reversals"]
        struct DayInCurrency: Hashable {
            var day: String
            var currency: Currency
        }
        var byDay: [DayInCurrency: [String: (Int64, Int64)]] = [:]
        for row in rows {
            let key = DayInCurrency(day: try row.decode("day"), currency: try row.decode("currency", as: Currency.self))
            byDay[key, default: [:]][try row.decode("what")] = (try row.decode("n"), try row.decode("amount"))
        }
        var report = Report(name: "daily-volume", columns: ["day", "currency"] + kinds.flatMap { ["\($0)_count", "\($0)_sum"] })
        for key in byDay.keys.sorted(by: { ($0.day, $0.currency.code) < ($1.day, $1.currency.code) }) {
            report.rows.append([.text(key.day), .text(key.currency.code)] + kinds.flatMap { kind -> [Report.Value] in
                let (count, sum) = byDay[key]?[kind] ?? (0, 0)
                return [.count(count), .money(.minor(sum, key.currency))]
            })
        }
        report.summary = [("note", .text("a reversal is counted on its own day in reversals; the day of the entry it reverses keeps its volume"))]
        return report
    }

    /// Every receipt in the period, in number order, with base, VAT and total, the period's totals, and
    /// each gap or reused number in a merchant's yearly sequence reported, never hidden.
    public func receipts(_ scope: ReportScope) async throws -> Report {
        let rows = try await pool.query(
            """
            SELECT r.number, r.year, r.sequence, to_char(r.issued_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD') AS day,
                   m.code AS merchant, m.id AS merchant_id, r.payer, r.base, r.vat, r.total, r.currency::text AS currency
              FROM receipts r JOIN merchants m ON m.id = r.merchant_id
             WHERE ($1::int8 IS NULL OR m.id = $1::int8)
               AND ($2::timestamptz IS NULL OR r.issued_at >= $2::timestamptz)
               AND ($3::timestamptz IS NULL OR r.issued_at < $3::timestamptz)
             ORDER BY m.code, r.year, r.sequence, r.id
            """, [.optional(scope.merchantID, PostgresValue.int64), .optional(scope.from, PostgresValue.date),
                  .optional(scope.to, PostgresValue.date)])
        var report = Report(name: "receipts", columns: ["number", "date", "merchant", "payer", "currency", "base", "vat", "total"])
        var bases: [Currency: Int64] = [:], vats: [Currency: Int64] = [:], sums: [Currency: Int64] = [:]
        var last: [String: Int] = [:]
        for row in rows {
            let currency = try row.decode("currency", as: Currency.self)
            let (base, vat, total): (Int64, Int64, Int64) = (try row.decode("base"), try row.decode("vat"), try row.decode("total"))
            bases[currency, default: 0] += base
            vats[currency, default: 0] += vat
            sums[currency, default: 0] += total
            let merchant: String = try row.decode("merchant"), year: Int = try row.decode("year"), sequence: Int = try row.decode("sequence")
            let series = "\(merchant) \(year)"
            if let previous = last[series] {
                if sequence == previous { report.problems.append("\(merchant): receipt number \(sequence) of \(year) is used twice") }
                else if sequence > previous + 1 { report.problems.append("\(merchant): receipt numbers \(previous + 1)–\(sequence - 1) of \(year) are missing") }
            } else if scope.from == nil, sequence != 1 {
                report.problems.append("\(merchant): receipts of \(year) start at \(sequence), not 1")
            }
            last[series] = sequence
            report.rows.append([.text(try row.decode("number")), .text(try row.decode("day")), .text(merchant), .text(try row.decode("payer")),
                                .text(currency.code), .money(.minor(base, currency)), .money(.minor(vat, currency)), .money(.minor(total, currency))])
        }
        report.summary = Self.totals([("base_total", bases), ("vat_total", vats), ("total", sums)]) + [("receipts", .count(Int64(rows.count)))]
        return report
    }

    /// Reconciliation exceptions (late successes, payouts the bank answered late, …) in the period.
    public func exceptions(_ scope: ReportScope) async throws -> Report {
        let limit = 10_000
        let found = try await ReconciliationExceptions(pool: pool).list(merchantID: scope.merchantID, from: scope.from, to: scope.to, limit: limit + 1)
        var report = Report(name: "exceptions", columns: ["created_at", "merchant", "kind", "payment", "detail"])
        for item in found {
            report.rows.append([.time(item.createdAt), .text(item.merchantCode), .text(item.kind),
                                .text(item.paymentID?.lowercasedText), .text(item.detail)])
        }
        if found.count > limit { report.problems.append("more than \(limit) exceptions in the period: only the newest \(limit) are listed; narrow from/to") }
        report.rows = Array(report.rows.prefix(limit))
        report.summary = [("exceptions", .count(Int64(min(found.count, limit))))]
        return report
    }
}
