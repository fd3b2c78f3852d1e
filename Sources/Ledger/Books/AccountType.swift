/// The five kinds of account in double-entry bookkeeping; the type fixes which side is "normal".
public enum AccountType: String, Sendable, CaseIterable, Codable {
    case asset, liability, equity, revenue, expense

    /// Assets and expenses grow with debits; the others grow with credits.
    public var isDebitNormal: Bool { self == .asset || self == .expense }
}
