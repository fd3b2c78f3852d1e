import ArgumentParser
import Foundation
import Ledger

/// A moment given on the command line: ISO 8601 with an offset (`2026-11-24T17:00:00+07:00`, `…Z`),
/// or a date alone (`2026-11-24`), which means the start of that day in Bangkok (UTC+7).
struct TimeArgument: ExpressibleByArgument {
    let date: Date

    init?(argument: String) {
        guard let date = PeriodBoundary.parse(argument) else { return nil }
        self.date = date
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

extension Date {
    /// `2026-11-24T12:30:47.123Z`: what reports print, in UTC.
    var reportText: String { formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)) }
}
