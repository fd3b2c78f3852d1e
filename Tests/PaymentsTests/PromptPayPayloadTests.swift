import Ledger
import Testing

@testable import Payments

/// The PromptPay payload against the vectors in the gateway issue.
@Suite struct PromptPayPayloadTests {
    @Test func crcCheckValue() {
        #expect(PromptPayPayload.crcText("123456789") == "29B1")
    }

    @Test func mobileNumberWithoutAndWithAmount() throws {
        let id = try #require(PromptPayID("0812223333"))
        #expect(PromptPayPayload(recipient: id).text
            == "00020101021129370016A0000006770101110113006681222333353037645802TH63041DCF")
        #expect(PromptPayPayload(recipient: id, amount: .minor(3000)).text
            == "00020101021229370016A0000006770101110113006681222333353037645802TH540530.0063043CAD")
    }

    @Test func idsAreReadAsPeopleWriteThem() {
        #expect(PromptPayID("081-222-3333") == PromptPayID("0812223333"))
        #expect(PromptPayID("+66812223333") == PromptPayID("0812223333"))
        #expect(PromptPayID("1234567890123")?.subtag == "02")
        #expect(PromptPayID("123456789012345")?.subtag == "03")
        for bad in ["", "812223333", "1812223333", "08122233x3", "12345678901234", "٠٨١٢٢٢٣٣٣٣"] {
            #expect(PromptPayID(bad) == nil, "\(bad)")
        }
    }

    @Test func amountsAreWrittenWithTwoDecimals() throws {
        let id = try #require(PromptPayID("1234567890123"))
        let text = PromptPayPayload(recipient: id, amount: .minor(199_999_999)).text
        #expect(text.contains("54101999999.99"))
        #expect(text.hasSuffix(PromptPayPayload.crcText(String(text.dropLast(4)))))
    }
}
