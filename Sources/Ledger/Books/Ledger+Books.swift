import PostgresClient

extension Ledger {
    /// Opens the book `code`, or returns it when it exists already (idempotent).
    public func openBook(code: String, name: String) async throws -> Book {
        try await pool.withConnection { connection in try Self.openBook(code: code, name: name, on: connection) }
    }

    /// Opens the book inside a transaction the caller holds (e.g. with the merchant that owns it).
    public static func openBook(code: String, name: String, on connection: PostgresConnection) throws -> Book {
        let row = try connection.query(
            """
            WITH inserted AS (
                INSERT INTO ledger_books (code, name) VALUES ($1::text, $2::text)
                ON CONFLICT ON CONSTRAINT ledger_books_code_key DO NOTHING
                RETURNING id, code, name)
            SELECT id, code, name FROM inserted
            UNION ALL SELECT id, code, name FROM ledger_books WHERE code = $1::text
            LIMIT 1
            """, [.string(code), .string(name)]
        ).single!
        return Book(id: try row.decode("id"), code: try row.decode("code"), name: try row.decode("name"))
    }

    /// The book with this code.
    public func book(code: String) async throws -> Book {
        let rows = try await pool.query("SELECT id, code, name FROM ledger_books WHERE code = $1::text", [.string(code)])
        guard let row = rows.first else { throw LedgerError(.unknownBook, "there is no book \(code)") }
        return Book(id: try row.decode("id"), code: try row.decode("code"), name: try row.decode("name"))
    }

    /// Opens the accounts of `specs` in `book`; existing ones are left as they are (idempotent).
    @discardableResult
    public func openAccounts(_ specs: [AccountSpec], in book: Int64) async throws -> [Account] {
        try await pool.withConnection { connection in
            try Self.openAccounts(specs, in: book, on: connection)
        }
    }

    /// The merchant chart of ARCHITECTURE.md, created on demand, idempotently.
    @discardableResult
    public func openMerchantChart(book: Int64, providers: [String], currency: Currency = .thb) async throws -> [Account] {
        try await openAccounts(AccountSpec.merchantChart(providers: providers, currency: currency), in: book)
    }

    /// Opens many merchant books at once, each with the merchant chart, in two statements (seeding,
    /// benchmarks); books and accounts that exist already are kept. Returns the books in `codes` order.
    public func openMerchantBooks(codes: [String], providers: [String], currency: Currency = .thb) async throws -> [Book] {
        let chart = AccountSpec.merchantChart(providers: providers, currency: currency)
        return try await pool.transaction { connection in
            try connection.query(
                """
                INSERT INTO ledger_books (code, name) SELECT code, code FROM unnest($1::text[]) AS b(code)
                ON CONFLICT ON CONSTRAINT ledger_books_code_key DO NOTHING
                """, [.stringArray(codes)])
            try connection.query(
                """
                INSERT INTO ledger_accounts (book_id, code, currency, type, non_negative)
                SELECT b.id, c.code, c.currency, c.type::ledger_account_type, c.non_negative::boolean
                  FROM ledger_books b
                  JOIN unnest($1::text[]) AS wanted(code) ON wanted.code = b.code
                 CROSS JOIN unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS c(code, currency, type, non_negative)
                ON CONFLICT ON CONSTRAINT ledger_accounts_identity DO NOTHING
                """,
                [.stringArray(codes), .stringArray(chart.map(\.code)), .stringArray(chart.map(\.currency.code)),
                 .stringArray(chart.map(\.type.rawValue)), .stringArray(chart.map { $0.nonNegative ? "true" : "false" })])
            let rows = try connection.query(
                """
                SELECT b.id, b.code, b.name FROM unnest($1::text[]) WITH ORDINALITY AS wanted(code, position)
                  JOIN ledger_books b ON b.code = wanted.code ORDER BY wanted.position
                """, [.stringArray(codes)])
            return try rows.map { Book(id: try $0.decode("id"), code: try $0.decode("code"), name: try $0.decode("name")) }
        }
    }

    /// The account `code` in `currency` of `book`.
    public func account(book: Int64, code: String, currency: Currency = .thb) async throws -> Account {
        let rows = try await pool.query(
            "\(Self.accountColumns) WHERE book_id = $1::int8 AND code = $2::text AND currency = $3::text",
            [.int64(book), .string(code), .string(currency.code)])
        guard let row = rows.first else {
            throw LedgerError(.unknownAccount, "book \(book) has no \(currency.code) account \(code)")
        }
        return try Self.account(from: row)
    }

    /// Several accounts of `book` read together (one statement, so one moment), in the order asked.
    public func accounts(book: Int64, codes: [String], currency: Currency = .thb) async throws -> [Account] {
        let rows = try await pool.query(
            "\(Self.accountColumns) WHERE book_id = $1::int8 AND code = ANY($2::text[]) AND currency = $3::text",
            [.int64(book), .stringArray(codes), .string(currency.code)])
        let found = Dictionary(try rows.map { (try $0.decode("code", as: String.self), try Self.account(from: $0)) }, uniquingKeysWith: { a, _ in a })
        return try codes.map { code in
            guard let account = found[code] else { throw LedgerError(.unknownAccount, "book \(book) has no \(currency.code) account \(code)") }
            return account
        }
    }

    /// Opens accounts inside a transaction the caller holds.
    public static func openAccounts(_ specs: [AccountSpec], in book: Int64, on connection: PostgresConnection) throws -> [Account] {
        guard !specs.isEmpty else { return [] }
        try connection.query(
            """
            INSERT INTO ledger_accounts (book_id, code, currency, type, non_negative)
            SELECT $1::int8, code, currency, type::ledger_account_type, non_negative
              FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS s(code, currency, type, non_negative_text)
              CROSS JOIN LATERAL (SELECT non_negative_text::boolean AS non_negative) AS flag
            ON CONFLICT ON CONSTRAINT ledger_accounts_identity DO NOTHING
            """,
            [.int64(book), .stringArray(specs.map(\.code)), .stringArray(specs.map(\.currency.code)),
             .stringArray(specs.map(\.type.rawValue)), .stringArray(specs.map { $0.nonNegative ? "true" : "false" })])
        let rows = try connection.query(
            "\(accountColumns) WHERE book_id = $1::int8 AND code = ANY($2::text[]) ORDER BY id",
            [.int64(book), .stringArray(specs.map(\.code))])
        return try rows.map(account(from:))
    }

    static let accountColumns =
        "SELECT id, book_id, code, currency::text AS currency, type::text AS type, non_negative, balance, debits, credits FROM ledger_accounts"

    static func account(from row: PostgresRow) throws -> Account {
        let currencyCode: String = try row.decode("currency")
        guard let currency = Currency(code: currencyCode) else {
            throw LedgerError(.invalidRequest, "account has unknown currency \(currencyCode)")
        }
        let type: String = try row.decode("type")
        return Account(
            id: try row.decode("id"), bookID: try row.decode("book_id"), code: try row.decode("code"),
            type: AccountType(rawValue: type) ?? .asset, nonNegative: try row.decode("non_negative"),
            balance: .minor(try row.decode("balance"), currency), debits: .minor(try row.decode("debits"), currency),
            credits: .minor(try row.decode("credits"), currency))
    }
}
