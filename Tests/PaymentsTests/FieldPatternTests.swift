import Foundation
import Testing

@testable import Payments

/// The hand-written field checks that replaced per-call regexes, and the UUID generator and formatter that replaced Foundation's.
@Suite struct FieldPatternTests {
    @Test(arguments: [
        ("0123456789", true), ("012345678901234", true), ("012345678", false), ("0123456789012345", false),
        ("01234567a9", false), ("0123456789\n", false), ("", false), ("０１２３４５６７８９", false),
    ] as [(String, Bool)])
    func accountNumbersAreTenToFifteenDigits(_ text: String, _ accepted: Bool) {
        #expect(PlainText.isDigits(text, 10...15) == accepted)
    }

    @Test func timeOrderedUUIDsAreVersion7DistinctAndInTimeOrder() throws {
        var seen = Set<UUID>()
        let before = UInt64(Date().timeIntervalSince1970 * 1000)
        for _ in 0..<10_000 {
            let id = UUID.timeOrdered()
            #expect(id.uuid.6 >> 4 == 7, "version nibble of \(id)")
            #expect(id.uuid.8 >> 6 == 0b10, "RFC 9562 variant of \(id)")
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
        // The first 48 bits are the Unix time in milliseconds.
        let id = UUID.timeOrdered()
        let milliseconds = withUnsafeBytes(of: id.uuid) { $0.prefix(6).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        #expect(milliseconds >= before && milliseconds <= UInt64(Date().timeIntervalSince1970 * 1000))
        // Ids a millisecond or more apart sort in the order they were made, as PostgreSQL compares them.
        var earlier = UUID.timeOrdered()
        for _ in 0..<5 {
            Thread.sleep(forTimeInterval: 0.002)
            let later = UUID.timeOrdered()
            #expect(earlier.lowercasedText < later.lowercasedText)
            earlier = later
        }
    }

    @Test func uuidTextIsFoundationsInLowerCase() {
        let fixed = UUID(uuidString: "00FF10AB-09C3-4D5E-8F7A-ABCDEF012345")!
        #expect(fixed.lowercasedText == "00ff10ab-09c3-4d5e-8f7a-abcdef012345")
        for _ in 0..<1_000 {
            let id = UUID.timeOrdered()
            #expect(id.lowercasedText == id.uuidString.lowercased())
            #expect(UUID(uuidString: id.lowercasedText) == id)
        }
    }
}
