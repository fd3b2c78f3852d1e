import Payments

/// A gateway request body's fields, read one at a time; each problem is kept under the field's name so
/// one answer names every bad field.
struct GatewayFields {
    private let values: [String: JSONValue]
    private(set) var problems: [String: String] = [:]

    /// Fields outside `allowed` are refused as unknown (a typo would otherwise look like a missing field).
    init(_ fields: [(String, JSONValue)], allowed: Set<String>) {
        values = Dictionary(fields, uniquingKeysWith: { first, _ in first })
        for name in Set(values.keys).subtracting(allowed) { problems[name] = "unknown field" }
    }

    /// A string field; `nil` when absent or null.
    mutating func text(_ name: String) -> String? {
        switch values[name] {
        case .string(let value)?: return value
        case nil, .null?: return nil
        default:
            problems[name] = "must be a string"
            return nil
        }
    }

    /// The `amount` as its exact text: a JSON number, or a string of digits and a point (as seed 001's sample signs it).
    mutating func amount() -> String? {
        switch values["amount"] {
        case .number(let value)?: return value
        case .string(let value)? where !value.isEmpty && value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }): return value
        case nil, .null?: return nil
        default:
            problems["amount"] = "must be a number, e.g. 1000.00"
            return nil
        }
    }

    mutating func markRequired(_ name: String) {
        if problems[name] == nil { problems[name] = "required" }
    }

    func throwIfProblems() throws {
        if !problems.isEmpty { throw GatewayErrors.validation(problems) }
    }
}
