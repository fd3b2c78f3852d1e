/// One journal entry to post: a business event (`kind` + `reference`, unique per book) and its postings.
public struct JournalEntryRequest: Hashable, Sendable {
    /// One line of an entry: an account of the entry's book and a signed amount (debit positive, credit negative).
    public struct Line: Hashable, Sendable {
        public var accountCode: String
        public var amount: Money

        public init(_ accountCode: String, _ amount: Money) {
            self.accountCode = accountCode
            self.amount = amount
        }

        public static func debit(_ accountCode: String, _ amount: Money) -> Line { Line(accountCode, amount) }
        public static func credit(_ accountCode: String, _ amount: Money) -> Line { Line(accountCode, amount.negated) }
    }

    public var bookID: Int64
    /// What happened, e.g. `payment.succeeded`; lowercase letters, digits, `_` and `.`.
    public var kind: String
    /// The business event's id within its kind, e.g. the payment id; posting it again is a `duplicate`.
    public var reference: String
    public var lines: [Line]
    public var description: String
    /// JSON object text stored with the entry.
    public var metadata: String
    /// Who asked for it: a service name, or an operator for adjustments.
    public var recordedBy: String
    /// Set on reversals: the entry this one mirrors.
    public var reversesEntryID: Int64?

    public init(
        bookID: Int64, kind: String, reference: String, lines: [Line], description: String = "",
        metadata: String = "{}", recordedBy: String = "satang", reversesEntryID: Int64? = nil
    ) {
        self.bookID = bookID
        self.kind = kind
        self.reference = reference
        self.lines = lines
        self.description = description
        self.metadata = metadata
        self.recordedBy = recordedBy
        self.reversesEntryID = reversesEntryID
    }
}
