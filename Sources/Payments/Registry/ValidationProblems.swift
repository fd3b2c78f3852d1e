/// Field → what is wrong with it, as one sentence: `invalid fields: amount (required), bank_code (…)`.
public enum ValidationProblems {
    public static func text(_ problems: [String: String]) -> String {
        "invalid fields: " + problems.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
    }
}
