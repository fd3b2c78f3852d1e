import Foundation

/// A touched account, locked for the batch, with its totals as the batch has changed them so far.
struct LockedAccount {
    var id: Int64
    var bookID: Int64
    var code: String
    var currency: String
    var type: AccountType
    var nonNegative: Bool
    var balance: Int64
    var debits: Int64
    var credits: Int64
    var lastSequence: Int64
    var lastPostedAt: Date?

    var key: AccountKey { AccountKey(bookID: bookID, code: code, currency: currency) }

    /// The balance on the account's normal side (a liability's credit balance is positive).
    var normalBalance: Int64 { type.isDebitNormal ? balance : -balance }
}

/// One line ready to write, with the account's sequence number and totals right after it.
struct PendingLine {
    var account: LockedAccount
    var amount: Money
    var sequence: Int64
    var balanceAfter: Int64
    var debitsAfter: Int64
    var creditsAfter: Int64
}

/// The batch's view of its locked accounts: entries are applied one by one, in order, and an entry
/// that cannot be applied whole leaves the totals as they were.
struct AccountBook {
    private var accounts: [AccountKey: LockedAccount]
    private var touchedOrder: [AccountKey] = []
    private var touchedKeys = Set<AccountKey>()

    init(accounts: [AccountKey: LockedAccount]) { self.accounts = accounts }

    /// Every account some posted entry changed, each once, with its final totals.
    var touched: [LockedAccount] { touchedOrder.map { accounts[$0]! } }

    /// Applies `entry`, or explains why it cannot be. Non-negativity is judged on each account's final
    /// balance after the whole entry, so an entry may move money through an account within itself.
    mutating func apply(_ entry: JournalEntryRequest) -> Result<[PendingLine], EntryRejection> {
        var working: [AccountKey: LockedAccount] = [:]
        var lines: [PendingLine] = []
        for line in entry.lines {
            let key = AccountKey(bookID: entry.bookID, code: line.accountCode, currency: line.amount.currency.code)
            guard var account = working[key] ?? accounts[key] else { return .failure(.unknownAccount(line.accountCode)) }
            let amount = line.amount.minorUnits
            let (balance, overflow) = account.balance.addingReportingOverflow(amount)
            let (debits, debitOverflow) = account.debits.addingReportingOverflow(max(amount, 0))
            let (credits, creditOverflow) = account.credits.addingReportingOverflow(max(-amount, 0))
            guard !overflow, !debitOverflow, !creditOverflow else {
                return .failure(.invalid("the balance of \(line.accountCode) would overflow"))
            }
            account.balance = balance
            account.debits = debits
            account.credits = credits
            account.lastSequence += 1
            working[key] = account
            lines.append(
                PendingLine(account: account, amount: line.amount, sequence: account.lastSequence,
                            balanceAfter: balance, debitsAfter: debits, creditsAfter: credits))
        }
        for (key, account) in working.sorted(by: { $0.value.id < $1.value.id })
        where account.nonNegative && account.normalBalance < 0 {
            let before = accounts[key]!
            let currency = Currency(code: account.currency) ?? .thb
            return .failure(
                .insufficientFunds(
                    account: account.code, available: .minor(before.normalBalance, currency),
                    requested: .minor(before.normalBalance - account.normalBalance, currency)))
        }
        for (key, account) in working {
            if touchedKeys.insert(key).inserted { touchedOrder.append(key) }
            accounts[key] = account
        }
        return .success(lines)
    }

    /// The batch's posting time: the database clock, but never before a touched account's last posting,
    /// so each account's postings are in time order as well as sequence order.
    func postingTime(clock: Date) -> Date {
        touched.compactMap(\.lastPostedAt).reduce(clock) { max($0, $1) }
    }
}
