import Foundation
import PostgresClient

/// One of the platform's own bank accounts that customers pay deposits into, with its PromptPay id.
public struct ReceivingAccount: Sendable, Hashable {
    /// Shown to clients as seed 000's `platformBankId`.
    public var id: UUID
    /// The bank, which is also the provider whose webhooks report payments into it.
    public var bank: ProviderCode
    public var accountNo: String
    public var accountName: String
    /// `nil` when the account has no PromptPay id: deposits then carry no QR payload.
    public var promptPayID: PromptPayID?
    public var active: Bool
}

/// Why a receiving account cannot be added.
public enum ReceivingAccountError: Error, Equatable {
    case validation([String: String])
    case duplicate
}

/// The platform's receiving accounts: added by an operator, chosen for each new deposit.
public struct ReceivingAccounts: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    /// Adds an account at one of the provider banks; every bad field is named.
    public func add(bank: String, accountNo: String, accountName: String, promptPayID: String?) async throws -> ReceivingAccount {
        var problems: [String: String] = [:]
        let provider = ProviderCode(rawValue: bank)
        if provider == nil { problems["bank"] = "one of \(ProviderCode.allCases.map(\.rawValue).joined(separator: ", ")): deposits are reported by that bank" }
        if !PlainText.isDigits(accountNo, 10...15) { problems["accountNo"] = "10 to 15 digits" }
        let name = accountName.trimmingCharacters(in: .whitespaces)
        if !PlainText.fits(name, 2...100) { problems["accountName"] = "2 to 100 characters, no control characters" }
        let promptPay = promptPayID.map(PromptPayID.init)
        if case .some(nil) = promptPay { problems["promptPayId"] = "a mobile number (0812223333), a 13-digit id or a 15-digit e-wallet id" }
        guard problems.isEmpty, let provider else { throw ReceivingAccountError.validation(problems) }
        let account = ReceivingAccount(id: UUID.timeOrdered(), bank: provider, accountNo: accountNo, accountName: name,
                                       promptPayID: promptPay ?? nil, active: true)
        do {
            try await pool.query(
                """
                INSERT INTO receiving_accounts (id, bank_code, account_no, account_name, promptpay_id)
                VALUES ($1::uuid, $2::text, $3::text, $4::text, $5::text)
                """,
                [.uuid(account.id), .string(provider.rawValue), .string(accountNo), .string(name),
                 .optional(account.promptPayID?.description, PostgresValue.string)])
        } catch let error as PostgresError where error.isUniqueViolation {
            throw ReceivingAccountError.duplicate
        }
        return account
    }

    public func list() async throws -> [ReceivingAccount] {
        try await pool.query("SELECT \(Self.columns) FROM receiving_accounts ORDER BY created_at, id").map(Self.account)
    }

    static let columns = "id, bank_code, account_no, account_name, promptpay_id, active"

    static func account(_ row: PostgresRow) throws -> ReceivingAccount {
        ReceivingAccount(
            id: try row.decode("id"), bank: try row.decode("bank_code"),
            accountNo: try row.decode("account_no"), accountName: try row.decode("account_name"),
            promptPayID: try row.decode("promptpay_id", as: String?.self).flatMap(PromptPayID.init),
            active: try row.decode("active"))
    }
}
