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
}
