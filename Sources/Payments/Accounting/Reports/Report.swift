import Foundation
import Ledger

/// A report as columns and rows, whatever renders it (JSON, CSV, a terminal table), plus summary figures.
public struct Report: Sendable {
    /// One cell: text, a count, money (shown to the satang), or a moment.
    public enum Value: Sendable, Equatable {
        case text(String?)
        case count(Int64)
        case money(Money)
        case time(Date)

        /// The cell as text, the same in every rendering.
        public var text: String {
            switch self {
            case .text(let text): text ?? ""
            case .count(let count): String(count)
            case .money(let money): money.decimalText
            case .time(let date): date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            }
        }
    }

    public var name: String
    public var columns: [String]
    public var rows: [[Value]]
    /// Figures about the whole report (totals, problems found), name → value.
    public var summary: [(String, Value)]
    /// Problems an accountant must see (a receipt number missing or used twice, …).
    public var problems: [String]

    public init(name: String, columns: [String], rows: [[Value]] = [], summary: [(String, Value)] = [], problems: [String] = []) {
        self.name = name
        self.columns = columns
        self.rows = rows
        self.summary = summary
        self.problems = problems
    }
}

extension Report {
    /// The report as CSV records: the header, the rows, then a TOTAL row where the summary totals columns
    /// (`vat_total` → `vat`, `total` → `total`), and a PROBLEM row per problem — the same in the API and CLI.
    public var csvRows: [[String]] {
        var rows = [columns] + self.rows.map { $0.map(\.text) }
        var totals = Array(repeating: "", count: columns.count)
        var any = false
        for (name, value) in summary {
            let column = name == "total" ? "total" : name.replacingOccurrences(of: "_total", with: "")
            if let index = columns.firstIndex(of: column), index > 0 {
                totals[index] = value.text
                any = true
            }
        }
        if any {
            totals[0] = "TOTAL"
            rows.append(totals)
        }
        for problem in problems { rows.append(["PROBLEM", problem] + Array(repeating: "", count: max(0, columns.count - 2))) }
        return rows
    }
}

/// What a report covers: whose books, which period, by what step.
public struct ReportScope: Sendable {
    /// One merchant's book, or every merchant (accountants only).
    public var merchantID: Int64?
    /// `[from, to)`.
    public var from: Date?
    public var to: Date?
    /// `day` or `month`, for reports by period.
    public var period: String

    public init(merchantID: Int64? = nil, from: Date? = nil, to: Date? = nil, period: String = "day") {
        self.merchantID = merchantID
        self.from = from
        self.to = to
        self.period = period
    }
}
