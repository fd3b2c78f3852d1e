import Foundation
import Ledger
import Testing

/// Moments given by people: ISO 8601 with an offset, or a date meaning midnight in Bangkok.
@Suite struct PeriodBoundaryTests {
    @Test(arguments: [
        ("2026-11-24T17:00:00+07:00", 1_795_514_400.0), ("2026-11-24T10:00:00Z", 1_795_514_400.0),
        ("2026-11-24T10:00:00.500Z", 1_795_514_400.5), ("2026-11-24", 1_795_453_200.0),
    ] as [(String, Double)])
    func readsWhatPeopleWrite(_ text: String, _ seconds: Double) {
        #expect(PeriodBoundary.parse(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: ["yesterday", "2026-13-01", "24/11/2026", "2026-11-24T10:00:00", ""])
    func refusesTheRest(_ text: String) { #expect(PeriodBoundary.parse(text) == nil) }
}
