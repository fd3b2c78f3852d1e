/// A receipt number: `RC` + year + `-` + six-digit sequence, e.g. `RC2026-000001`.
public struct ReceiptNumber: Hashable, Sendable, CustomStringConvertible {
    public var year: Int
    public var sequence: Int

    public var description: String {
        let digits = String(sequence)
        return "RC\(year)-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
