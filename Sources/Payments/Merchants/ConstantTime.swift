/// Comparing secrets without telling, by the time taken, how much of a guess was right.
public enum ConstantTime {
    /// Equal strings; the time depends only on the length.
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
