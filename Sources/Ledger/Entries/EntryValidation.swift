import Foundation

/// Checks an entry's own shape before any database work, so a malformed entry is rejected alone.
enum EntryValidation {
    /// `^[a-z][a-z0-9_.]{0,63}$`, matched by hand: a regex would be compiled again for every entry posted.
    static func isKind(_ kind: String) -> Bool {
        let bytes = kind.utf8
        guard let first = bytes.first, (1...64).contains(bytes.count), (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return false
        }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
    }

    static func rejection(for entry: JournalEntryRequest) -> EntryRejection? {
        guard isKind(entry.kind) else {
            return .invalid("kind \"\(entry.kind)\" must be lowercase letters, digits, '_' or '.' (at most 64)")
        }
        guard (1...255).contains(entry.reference.count) else {
            return .invalid("reference must have 1 to 255 characters")
        }
        guard (entry.kind == "reversal") == (entry.reversesEntryID != nil) else {
            return .invalid("only entries of kind reversal reverse another entry")
        }
        guard entry.lines.count >= 2, entry.lines.count <= 100 else {
            return .invalid("an entry needs 2 to 100 lines, not \(entry.lines.count)")
        }
        guard entry.description.count <= 1000 else { return .invalid("description is longer than 1000 characters") }
        var sums: [String: Int64] = [:]
        for line in entry.lines {
            guard line.amount.minorUnits != 0 else { return .invalid("line on \(line.accountCode) has a zero amount") }
            guard line.amount.minorUnits != Int64.min else { return .invalid("line amount is out of range") }
            let (sum, overflow) = sums[line.amount.currency.code, default: 0].addingReportingOverflow(line.amount.minorUnits)
            guard !overflow else { return .invalid("line amounts overflow") }
            sums[line.amount.currency.code] = sum
        }
        if let (currency, difference) = sums.sorted(by: { $0.key < $1.key }).first(where: { $0.value != 0 }) {
            return .unbalanced(currency: currency, difference: difference)
        }
        return nil
    }
}
