import Payments
import Testing

@testable import API

/// The gateway's signature text and JavaScript's number spelling, against values worked out by hand
/// from the seeds and from JavaScript's Number.prototype.toString.
@Suite struct GatewaySignatureTests {
    @Test func javaScriptSpellsNumbersItsOwnWay() {
        let cases = ["1000.00": "1000", "0.10": "0.1", "1709123456789": "1709123456789", "1e21": "1e+21", "0.0000001": "1e-7",
                     "0.000001": "0.000001", "-5.50": "-5.5", "1.5e3": "1500", "0": "0", "-0.0": "0", "123456.789": "123456.789"]
        for (text, expected) in cases { #expect(JavaScriptNumber.string(text) == expected, "\(text)") }
    }

    @Test func integrationSignatureHexIsReadStrictly() {
        #expect(RequestSignature.hexBytes("00ff10AB") == [0x00, 0xff, 0x10, 0xab])
        #expect(RequestSignature.hexBytes("") == [])
        for bad in ["abc", "+a", " 1", "0x", "zz", "０１", "éé"] { #expect(RequestSignature.hexBytes(Substring(bad)) == nil, "\(bad)") }
        let header = RequestSignature.sign(timestamp: "1", body: Array("{}".utf8), secret: "s")
        #expect(RequestSignature.hexBytes(header.dropFirst(7))?.count == 32)
    }

    @Test func seed001SampleStringIsSortedKeyValuePairs() {
        let fields: [(String, JSONValue)] = [
            ("account_no", .string("1234567890")), ("acc_name", .string("John Doe")), ("bank_code", .string("KBANK")),
            ("amount", .number("1000.00")), ("callback_url", .string("https://your-domain.com/callback")),
            ("timestamp", .number("1709123456789")),
        ]
        #expect(SortedFieldsSignature.canonicalText(fields, numbers: .asWritten)
            == "acc_name=John Doe&account_no=1234567890&amount=1000.00&bank_code=KBANK&callback_url=https://your-domain.com/callback&timestamp=1709123456789")
        #expect(SortedFieldsSignature.canonicalText(fields, numbers: .javaScript).contains("&amount=1000&"))
    }

    @Test func aJWTFromJWTCreateVerifiesAndATamperedOneDoesNot() {
        let claims: [(String, JSONValue)] = [("amount", .number("1000.00")), ("merchantId", .string("testmerchant")),
                                             ("timestamp", .number("1728470400000"))]
        let token = GatewaySignature.jwt(claims, key: "sk_key")
        #expect(token.hasPrefix("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."))
        #expect(GatewaySignature.verify(token, fields: claims, apiKey: "sk_key", apiSecret: "ss_secret") == nil)
        #expect(GatewaySignature.verify(token, fields: claims, apiKey: "other", apiSecret: "ss_secret") == .jwtMismatch)
        var changed = claims
        changed[0].1 = .number("1000.01")
        #expect(GatewaySignature.verify(token, fields: changed, apiKey: "sk_key", apiSecret: "s") == .jwtClaims("amount differs between the token and the request"))
        #expect(GatewaySignature.verify(token, fields: claims + [("extra", .string("x"))], apiKey: "sk_key", apiSecret: "s")
            == .jwtClaims("extra is sent but not signed"))
        let none = "eyJhbGciOiJub25lIn0." + token.split(separator: ".")[1] + "."
        #expect(GatewaySignature.verify(none, fields: claims, apiKey: "sk_key", apiSecret: "s") == .jwtAlgorithm("none"))
    }
}

/// Allow-lists behind a load balancer: X-Forwarded-For is believed only from trusted proxies.
@Suite struct ClientAddressTests {
    @Test func onlyTrustedProxiesNameTheClient() {
        let trusted = ["10.0.0.0/8"]
        #expect(ClientAddressMiddleware.client(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"], trusted: trusted) == "203.0.113.9")
        #expect(ClientAddressMiddleware.client(peer: "10.0.0.5", forwardedFor: ["1.2.3.4, 10.0.0.7"], trusted: trusted) == "1.2.3.4")
        #expect(ClientAddressMiddleware.client(peer: "10.0.0.5", forwardedFor: ["9.9.9.9", "1.2.3.4"], trusted: trusted) == "1.2.3.4",
                "a client cannot hide behind an address it wrote itself")
        #expect(ClientAddressMiddleware.client(peer: "10.0.0.5", forwardedFor: [], trusted: trusted) == "10.0.0.5")
        #expect(ClientAddressMiddleware.client(peer: "10.0.0.5", forwardedFor: ["1.2.3.4"], trusted: []) == "10.0.0.5")
    }
}

/// CSV cells a spreadsheet would run as formulas are defused; numbers are left alone.
@Suite struct CSVDefuseTests {
    @Test func formulasGetAnApostropheNumbersDoNot() {
        #expect(ReportBody.defused("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")")
        #expect(ReportBody.defused("+66 81") == "'+66 81" && ReportBody.defused("@SUM(A1)") == "'@SUM(A1)")
        #expect(ReportBody.defused("-cmd") == "'-cmd")
        #expect(ReportBody.defused("-12.50") == "-12.50" && ReportBody.defused("12.50") == "12.50" && ReportBody.defused("Somchai") == "Somchai")
    }
}
