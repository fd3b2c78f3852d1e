import Payments
import Testing

/// Request bodies are parsed strictly, keeping numbers exactly as written.
@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func numbersKeepTheirText() throws {
        let value = try parse(#"{"amount": 1000.50, "small": 0.1, "big": 92233720368547758.07, "exp": 1e3, "neg": -5}"#)
        #expect(value["amount"] == .number("1000.50"))
        #expect(value["small"] == .number("0.1"))
        #expect(value["big"] == .number("92233720368547758.07"))
        #expect(value["exp"] == .number("1e3"))
        #expect(value["neg"] == .number("-5"))
    }

    @Test func stringsDecodeEscapesAndUnicode() throws {
        let value = try parse(#"{"name": "Som\u0063hai \"ไทย\" \ud83d\udcb8\n"}"#)
        #expect(value["name"] == .string("Somchai \"ไทย\" 💸\n"))
        #expect(JSONValue.string("a\"b\u{1}").serialized == #""a\"b\u0001""#)
        #expect(JSONValue.string("ไทย\\x\n\t\r\u{1f}💸").serialized == #""ไทย\\x\n\t\r\u001f💸""#)
    }

    @Test(arguments: [
        "", "{", "{\"a\":1,}", "[1,]", "{\"a\":1}x", "01", "1.", "-", ".5", "+1", "NaN", "Infinity", "\"\\x\"",
        "\"unterminated", "{\"a\":1,\"a\":2}", "\"\u{1}\"", "tru", "\"\\ud800\"",
    ])
    func malformedDocumentsAreRefused(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func nestingIsLimited() {
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(throws: Never.self) { try JSONParser.parse(Array(fine.utf8)) }
    }

    @Test func serializationRoundTrips() throws {
        let text = #"{"b":[1,2.50,null,true,false],"a":{"x":"y"}}"#
        #expect(try parse(text).serialized == text)
    }
}
