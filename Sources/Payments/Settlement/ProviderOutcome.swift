/// What a provider reported about a payment in its webhook.
public enum ProviderOutcome: Sendable, Equatable {
    /// The money arrived; `payer` is the paying customer's name when the provider gives it.
    case succeeded(payer: String?)
    /// The provider refused the payment for a business reason the merchant can read.
    case failed(reason: String)
}

/// What confirming a provider's report did.
public enum ConfirmationResult: Sendable, Equatable {
    /// SUCCEEDED: ledger entry, receipt and outbox event written together.
    case succeeded(receiptNumber: String, ledgerEntryID: Int64)
    /// FAILED_BUSINESS, with an outbox event.
    case failed
    /// The provider already sent this event id; nothing was done twice.
    case duplicateEvent
    /// A success for a payment that had expired: kept as a reconciliation exception, never lost.
    case lateSuccess
    /// The payment is already final, or is not yet waiting for the provider (the provider should retry).
    case notPending(PaymentStatus)
    case unknownPayment
}
