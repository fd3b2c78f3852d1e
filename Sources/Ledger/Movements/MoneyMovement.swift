import Foundation

/// The named money movements of ARCHITECTURE.md's table, as journal entries. Later features only call these.
///
/// | event | debit | credit |
/// |---|---|---|
/// | payment succeeded | `provider:<P>` gross | `merchant:available` net, `fees` fee |
/// | payout reserved | `merchant:available` amount | `merchant:payouts_in_flight` amount |
/// | payout completed | `merchant:payouts_in_flight` amount | `provider:<P>` amount − fee, `fees` fee |
/// | payout refunded | `merchant:payouts_in_flight` amount | `merchant:available` amount |
public enum MoneyMovement {
    /// A payment or deposit succeeded: the gross is at the provider, the net is owed to the merchant, the fee is earned.
    public static func paymentSucceeded(
        book: Int64, paymentID: String, provider: String, gross: Money, fee: Money
    ) throws(EntryRejection) -> JournalEntryRequest {
        guard gross.isPositive, fee.minorUnits >= 0, fee.currency == gross.currency, fee.minorUnits < gross.minorUnits
        else { throw .invalid("a payment's fee must be at least zero and below its gross amount") }
        let net = gross.subtracting(fee)!
        var lines: [JournalEntryRequest.Line] = [
            .debit(AccountCode.provider(provider), gross), .credit(AccountCode.merchantAvailable, net),
        ]
        if fee.isPositive { lines.append(.credit(AccountCode.fees, fee)) }
        return JournalEntryRequest(
            bookID: book, kind: "payment.succeeded", reference: paymentID, lines: lines,
            description: "payment \(paymentID) via \(provider): gross \(gross), fee \(fee)")
    }

    /// A payout was created: its amount moves from available to in flight, so no other payout can take it.
    public static func payoutReserved(book: Int64, payoutID: String, amount: Money) throws(EntryRejection) -> JournalEntryRequest {
        guard amount.isPositive else { throw .invalid("a payout's amount must be positive") }
        return JournalEntryRequest(
            bookID: book, kind: "payout.reserved", reference: payoutID,
            lines: [.debit(AccountCode.merchantAvailable, amount), .credit(AccountCode.payoutsInFlight, amount)],
            description: "payout \(payoutID) reserved: \(amount)")
    }

    /// A payout was sent: amount − fee left through the provider, the fee is earned.
    public static func payoutCompleted(
        book: Int64, payoutID: String, provider: String, amount: Money, fee: Money
    ) throws(EntryRejection) -> JournalEntryRequest {
        guard amount.isPositive, fee.minorUnits >= 0, fee.currency == amount.currency, fee.minorUnits < amount.minorUnits
        else { throw .invalid("a payout's fee must be at least zero and below its amount") }
        var lines: [JournalEntryRequest.Line] = [
            .debit(AccountCode.payoutsInFlight, amount), .credit(AccountCode.provider(provider), amount.subtracting(fee)!),
        ]
        if fee.isPositive { lines.append(.credit(AccountCode.fees, fee)) }
        return JournalEntryRequest(
            bookID: book, kind: "payout.completed", reference: payoutID, lines: lines,
            description: "payout \(payoutID) sent via \(provider): \(amount.subtracting(fee)!) sent, fee \(fee)")
    }

    /// A payout was cancelled or failed: the reserved amount goes back to available.
    public static func payoutRefunded(book: Int64, payoutID: String, amount: Money, reason: String) throws(EntryRejection)
        -> JournalEntryRequest
    {
        guard amount.isPositive else { throw .invalid("a refund's amount must be positive") }
        return JournalEntryRequest(
            bookID: book, kind: "payout.refunded", reference: payoutID,
            lines: [.debit(AccountCode.payoutsInFlight, amount), .credit(AccountCode.merchantAvailable, amount)],
            description: "payout \(payoutID) refunded: \(reason)")
    }
}

extension MoneyMovement {
    /// An operator's correction: `amount` from `credit` to `debit` in one book, with who and why on the entry.
    public static func adjustment(
        book: Int64, debit: String, credit: String, amount: Money, reason: String, operator who: String, reference: String
    ) throws(EntryRejection) -> JournalEntryRequest {
        guard amount.isPositive else { throw .invalid("an adjustment's amount must be positive") }
        guard debit != credit else { throw .invalid("an adjustment moves money between two different accounts") }
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw .invalid("an adjustment needs a reason") }
        return JournalEntryRequest(
            bookID: book, kind: "adjustment", reference: reference,
            lines: [.debit(debit, amount), .credit(credit, amount)],
            description: "adjustment by \(who): \(why)", recordedBy: who)
    }
}
