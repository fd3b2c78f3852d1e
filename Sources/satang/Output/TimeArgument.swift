import ArgumentParser
import Foundation
import Ledger

/// A moment given on the command line: ISO 8601 with an offset (`2026-11-24T17:00:00+07:00`, `…Z`),
/// or a date alone (`2026-11-24`), which means the start of that day in Bangkok (UTC+7).
struct TimeArgument: ExpressibleByArgument {
    let date: Date
    /// As the end of a range ("as of"): a date alone means the end of that Bangkok day, as the API reads it.
    let inclusiveEnd: Date

    init?(argument: String) {
        guard let date = PeriodBoundary.parse(argument), let end = PeriodBoundary.parseInclusiveEnd(argument) else { return nil }
        self.date = date
        self.inclusiveEnd = end
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

extension Date {
    /// `2026-11-24T12:30:47.123Z`: what reports print, in UTC.
    var reportText: String { formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)) }
}
