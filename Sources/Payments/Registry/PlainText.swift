/// Rules for text a client gives that Satang stores: lengths counted as PostgreSQL's `length()` counts
/// (Unicode code points, so a Thai name with tone marks fits the same limit in Swift and in the database),
/// and no control characters (a NUL cannot be stored at all).
public enum PlainText {
    /// Whether `text` has `range` code points and no control character.
    public static func fits(_ text: String, _ range: ClosedRange<Int>) -> Bool {
        range.contains(text.unicodeScalars.count) && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// Whether `text` is `range` ASCII digits and nothing else (a pattern match without compiling a regex per call).
    public static func isDigits(_ text: String, _ range: ClosedRange<Int>) -> Bool {
        range.contains(text.utf8.count) && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
