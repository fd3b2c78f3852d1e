import Foundation

/// An account's statement for a period: opening balance, the lines in it with running balances, closing balance.
///
/// The period is half-open, `[from, to)`. Pages follow each other by `nextCursor`, which is stable:
/// it is the last line's sequence number, and new postings only ever get higher ones.
public struct Statement: Sendable {
    public struct Line: Sendable, Hashable {
        public var sequence: Int64
        public var entryID: Int64
        public var postedAt: Date
        public var kind: String
        public var reference: String
        public var description: String
        public var recordedBy: String
        public var amount: Money
        /// The account's debit-positive balance right after this line.
        public var balanceAfter: Money
    }

    public var account: Account
    public var from: Date?
    public var to: Date?
    /// Balance before the period (debit-positive).
    public var openingBalance: Money
    /// Balance at the end of the period (debit-positive).
    public var closingBalance: Money
    public var lines: [Line]
    /// Pass to the next call for the following page; `nil` on the last page.
    public var nextCursor: String?
}
