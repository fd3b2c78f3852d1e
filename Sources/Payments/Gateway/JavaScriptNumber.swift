import Foundation

/// JavaScript's `String(number)` for a JSON number's text: what a JavaScript client signs when it
/// interpolates a number (`1000.00` → `1000`, `0.10` → `0.1`, `1e21` → `1e+21`).
public enum JavaScriptNumber {
    public static func string(_ text: String) -> String {
        guard let value = Double(text), value.isFinite else { return text }
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 1e21 {
            // Integers below 10^21 print in full; exact for the safe-integer range JavaScript itself keeps.
            return String(format: "%.0f", value)
        }
        // Swift's description is also the shortest text that reads back as the same double; only the
        // exponent spelling differs (Swift 1e-07, JavaScript 1e-7; Swift 1e+21 matches).
        var description = "\(value)"
        if let e = description.firstIndex(of: "e") {
            let mantissa = description[..<e]
            var exponent = String(description[description.index(after: e)...])
            let sign = exponent.hasPrefix("-") ? "-" : "+"
            exponent = String(exponent.drop { $0 == "-" || $0 == "+" || $0 == "0" })
            description = mantissa + "e" + sign + (exponent.isEmpty ? "0" : exponent)
        }
        let absolute = abs(value)
        if absolute >= 1e-6, absolute < 1e21, description.contains("e") {
            // JavaScript writes numbers from 1e-6 up to 1e21 without an exponent.
            return (Decimal(string: text).map { "\($0)" }) ?? description
        }
        return description
    }
}
