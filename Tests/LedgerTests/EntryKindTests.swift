import Testing

@testable import Ledger

/// An entry's kind is lowercase letters, digits, '_' or '.', starting with a letter, at most 64 characters.
@Suite struct EntryKindTests {
    @Test(arguments: [
        ("payment.succeeded", true), ("a", true), ("payout_refund.v2", true), (String(repeating: "k", count: 64), true),
        ("", false), ("Payment", false), ("1payment", false), ("_payment", false), ("pay-out", false),
        ("payment\n", false), ("payment ", false), ("ค่าธรรมเนียม", false), (String(repeating: "k", count: 65), false),
    ] as [(String, Bool)])
    func kindsFollowTheirPattern(_ kind: String, _ accepted: Bool) {
        #expect(EntryValidation.isKind(kind) == accepted)
    }
}
