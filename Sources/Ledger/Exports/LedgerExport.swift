import Foundation
import PostgresClient

/// The books as plain-text accounting for tools that check them independently: every account opening and
/// every entry with its postings, in Beancount (`bean-check`) or hledger (`hledger check`) syntax. Both
/// tools then compute the balances themselves, to compare with Satang's trial balance.
public struct LedgerExport: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case beancount, hledger
    }

    let pool: PostgresPool
    /// Entries read and written per round, so a large book never sits in memory at once.
    public var pageSize = 2_000

    public init(pool: PostgresPool) { self.pool = pool }

    /// Writes the export of one book (or every book) through `write`, a page of entries at a time.
    ///
    /// The whole export reads one REPEATABLE READ snapshot: it shows the books exactly as they stood when it
    /// began. Paging by id in separate statements could miss an entry whose transaction took its id before a
    /// later one's but committed after that page was read; and every account a posting names is in the
    /// snapshot too. `write` is called on the connection's thread, inside the transaction.
    public func write(_ format: Format, book: Int64? = nil, to write: @escaping @Sendable (String) throws -> Void) async throws {
        let pageSize = self.pageSize
        // Read-only, so never a serialization failure to retry (a retry would write the export twice).
        try await pool.transaction(isolation: .repeatableRead, maxAttempts: 1) { connection in
            try connection.executeScript("SET TRANSACTION READ ONLY")
            try Self.write(format, book: book, pageSize: pageSize, on: connection, to: write)
        }
    }

    private static func write(
        _ format: Format, book: Int64?, pageSize: Int, on connection: PostgresConnection, to write: (String) throws -> Void
    ) throws {
        let accounts = try connection.query(
            """
            SELECT a.id, a.code, a.type::text AS type, a.currency::text AS currency, b.code AS book_code
              FROM ledger_accounts a JOIN ledger_books b ON b.id = a.book_id
             WHERE $1::int8 IS NULL OR a.book_id = $1::int8
             ORDER BY a.id
            """, [.optional(book, PostgresValue.int64)])
        var names = ExportAccountNames()
        var header = format == .beancount
            ? "; Satang ledger export (Beancount). Amounts in currency units; debits positive.\noption \"operating_currency\" \"THB\"\n\n"
            : "; Satang ledger export (hledger journal). Amounts in currency units; debits positive.\n"
        let currencies = Set(try accounts.map { try $0.decode("currency", as: String.self) }).sorted()
        if format == .hledger {
            for code in currencies {
                let decimals = Currency(code: code)?.decimals ?? 2
                header += "commodity 1000\(decimals > 0 ? "." + String(repeating: "0", count: decimals) : "") \(code)\n"
            }
        }
        var byID: [Int64: String] = [:]
        for row in accounts {
            let name = names.name(type: try row.decode("type"), book: try row.decode("book_code"), code: try row.decode("code"))
            byID[try row.decode("id")] = name
            let currency: String = try row.decode("currency")
            header += format == .beancount ? "2000-01-01 open \(name) \(currency)\n" : "account \(name)\n"
        }
        try write(header + "\n")
        var after: Int64 = 0
        while true {
            let entries = try connection.query(
                """
                SELECT e.id, e.kind, e.reference, e.description, e.recorded_by, e.reverses_entry_id,
                       to_char(e.posted_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD') AS day
                  FROM ledger_entries e
                 WHERE ($1::int8 IS NULL OR e.book_id = $1::int8) AND e.id > $2::int8
                 ORDER BY e.id LIMIT $3::int8
                """, [.optional(book, PostgresValue.int64), .int64(after), .int64(Int64(pageSize))])
            guard let last = entries.last else { break }
            after = try last.decode("id")
            let postings = try connection.query(
                """
                SELECT entry_id, account_id, amount, currency::text AS currency FROM ledger_postings
                 WHERE entry_id = ANY ($1::int8[]) ORDER BY entry_id, line_number
                """, [.int64Array(try entries.map { try $0.decode("id", as: Int64.self) })])
            var lines: [Int64: [(String, Money)]] = [:]
            for posting in postings {
                let account: Int64 = try posting.decode("account_id")
                guard let name = byID[account] else {
                    // A posting's account is in its book and committed with or before it: in the same snapshot.
                    throw LedgerError(.invalidRequest, "the export found a posting to account \(account) outside the books it read")
                }
                lines[try posting.decode("entry_id"), default: []].append(
                    (name, Money(minorUnits: try posting.decode("amount"), currency: try posting.decode("currency"))))
            }
            var text = ""
            for entry in entries {
                let id: Int64 = try entry.decode("id")
                let kind: String = try entry.decode("kind"), reference: String = try entry.decode("reference")
                let description: String = try entry.decode("description"), day: String = try entry.decode("day")
                let reverses: Int64? = try entry.decode("reverses_entry_id")
                let recordedBy: String = try entry.decode("recorded_by")
                switch format {
                case .beancount:
                    text += "\(day) * \(Self.quoted(kind + " " + reference)) \(Self.quoted(description))\n"
                    text += "  satang-entry: \"\(id)\"\n  recorded-by: \(Self.quoted(recordedBy))\n"
                    if let reverses { text += "  reverses-entry: \"\(reverses)\"\n" }
                case .hledger:
                    text += "\(day) (\(id)) \(Self.oneLine(kind + " " + reference)) | \(Self.oneLine(description))\n"
                    text += "    ; recorded-by: \(Self.oneLine(recordedBy))\(reverses.map { ", reverses-entry: \($0)" } ?? "")\n"
                }
                for (account, amount) in lines[id] ?? [] {
                    text += "    \(account)  \(amount.decimalText) \(amount.currency.code)\n"
                }
                text += "\n"
            }
            try write(text)
        }
    }

    static func quoted(_ text: String) -> String {
        "\"" + oneLine(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func oneLine(_ text: String) -> String {
        text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : String($0) }.joined()
            .replacingOccurrences(of: "|", with: "/").replacingOccurrences(of: ";", with: ",")
    }
}

/// Account names both tools accept: a root for the account's type (Assets, Liabilities, Equity, Income,
/// Expenses), the book, then the code's parts, each starting with a capital or digit, letters, digits
/// and `-` only; a name that would collide with another gets a number.
public struct ExportAccountNames: Sendable {
    private var taken: Set<String> = []

    public init() {}

    public mutating func name(type: String, book: String, code: String) -> String {
        let root = switch type {
        case "asset": "Assets"
        case "liability": "Liabilities"
        case "equity": "Equity"
        case "revenue": "Income"
        default: "Expenses"
        }
        let parts = [book] + code.split(separator: ":").map(String.init)
        var name = ([root] + parts.map(Self.component)).joined(separator: ":")
        if taken.contains(name) {
            var suffix = 2
            while taken.contains("\(name)-\(suffix)") { suffix += 1 }
            name += "-\(suffix)"
        }
        taken.insert(name)
        return name
    }

    static func component(_ text: String) -> String {
        var scalars = text.unicodeScalars.map { scalar -> String in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) ? String(scalar) : "-"
        }.joined()
        if let first = scalars.first, first.isLetter { scalars = first.uppercased() + scalars.dropFirst() }
        else { scalars = "X" + scalars }
        return scalars
    }
}
