/// Why a merchant operation was refused.
public enum MerchantError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Field name → what a valid value looks like.
    case invalid([String: String])
    case duplicateCode(String)
    case notFound(String)

    public var description: String {
        switch self {
        case .invalid(let problems):
            return "invalid merchant: " + problems.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
                .joined(separator: "; ")
        case .duplicateCode(let code): return "a merchant with code \(code) exists already"
        case .notFound(let code): return "there is no merchant \(code)"
        }
    }
}
