/// Why a deposit request was refused; the API maps each to its status and message.
public enum DepositError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Field name → what is wrong with it.
    case validation([String: String])
    /// The merchant's own reference (seed 000's `transactionId`) names another deposit or payment already.
    case duplicateReference(String)
    /// No active receiving account at a bank this merchant takes payments through.
    case noReceivingAccount
    /// Every amount within 10 baht below the requested one is held by an open deposit to the account.
    case noUniqueAmount
    case notFound
    /// Only a pending deposit can be cancelled; the word is the deposit's current status.
    case notCancellable(status: String)

    public var description: String {
        switch self {
        case .validation(let problems):
            ValidationProblems.text(problems)
        case .duplicateReference(let reference): "transactionId already exists: \(reference)"
        case .noReceivingAccount: "no receiving account is set up at a bank enabled for this merchant"
        case .noUniqueAmount: "too many open deposits of about this amount; try again in a few minutes"
        case .notFound: "no such deposit"
        case .notCancellable(let status): "only a pending deposit can be cancelled; this one is \(status)"
        }
    }
}
