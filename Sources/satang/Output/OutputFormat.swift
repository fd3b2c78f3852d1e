import Foundation
import ArgumentParser

/// How a command prints a report: an aligned table for people, CSV for spreadsheets, JSON for programs.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// A report as rows of cells, printable in every `OutputFormat`.
struct ReportTable {
    enum Alignment { case left, right }

    var columns: [(name: String, alignment: Alignment)]
    var rows: [[String]] = []

    /// Columns padded to their widest cell; numbers right-aligned so decimals line up.
    func renderTable() -> String {
        var widths = columns.map(\.name.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return columns[index].alignment == .right ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines = [line(columns.map(\.name)), line(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }

    /// RFC 4180: a header row, every cell quoted when it holds a comma, quote or line break.
    func renderCSV() -> String {
        func cell(_ text: String) -> String {
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return ([columns.map(\.name)] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
