import Foundation

/// How people give a moment to Satang (report periods, list filters): ISO 8601 with an offset
/// (`2026-11-24T17:00:00+07:00`, `…Z`, fractions allowed), or a date alone (`2026-11-24`), which means
/// the start of that day in Bangkok (UTC+7). One rule for the CLI and the API.
public enum PeriodBoundary {
    public static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = plain.date(from: text) ?? withFraction.date(from: text) { return date }
        guard text.count == 10 else { return nil }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        day.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        return day.date(from: text)
    }

    /// The same, as the inclusive end of a range: a date alone means the whole of that day (up to its last
    /// microsecond), so `dateTo=2026-11-24` includes the 24th.
    public static func parseInclusiveEnd(_ text: String) -> Date? {
        guard let date = parse(text) else { return nil }
        return text.count == 10 ? date.addingTimeInterval(86_400 - 0.000_001) : date
    }
}
