import Ledger
import Testing

/// Amounts are read exactly from text and printed back with the currency's decimals; fees and VAT round half up.
@Suite struct MoneyTests {
    @Test(arguments: [
        ("1000", 100_000), ("1000.5", 100_050), ("999.99", 99_999), ("0.01", 1), ("2000000", 200_000_000),
        ("92233720368547758.07", Int64.max),
    ] as [(String, Int64)])
    func parsesExactly(_ text: String, _ minor: Int64) throws {
        #expect(try Money.parse(text).minorUnits == minor)
    }

    @Test(arguments: [
        ("", MoneyParseError.empty),
        ("1.005", .tooManyDecimals("1.005", allowed: 2, currency: "THB")),
        ("0", .notPositive("0")), ("0.00", .notPositive("0.00")), ("-5", .notPositive("-5")),
        ("1e3", .exponentNotAllowed("1e3")), ("1E+3", .exponentNotAllowed("1E+3")), ("1.5e-2", .exponentNotAllowed("1.5e-2")),
        ("NaN", .notADecimal("NaN")), ("Infinity", .notADecimal("Infinity")), ("-Infinity", .notADecimal("-Infinity")),
        ("1,000", .notADecimal("1,000")), (" 10", .notADecimal(" 10")), ("+10", .notADecimal("+10")),
        (".5", .notADecimal(".5")), ("5.", .notADecimal("5.")), ("1.2.3", .notADecimal("1.2.3")), ("๑๐", .notADecimal("๑๐")),
        ("92233720368547758.08", .outOfRange("92233720368547758.08")),
        ("99999999999999999999", .outOfRange("99999999999999999999")),
    ] as [(String, MoneyParseError)])
    func refusesWithAClearError(_ text: String, _ expected: MoneyParseError) {
        #expect(throws: expected) { try Money.parse(text) }
    }

    @Test func enforcesAConfiguredMaximum() throws {
        let maximum = try Money.parse("2000000")
        #expect(try Money.parse("2000000.00", maximum: maximum).minorUnits == 200_000_000)
        #expect(throws: MoneyParseError.aboveMaximum("2000000.01", maximum: "2000000.00")) {
            try Money.parse("2000000.01", maximum: maximum)
        }
    }

    @Test func respectsEachCurrencysDecimals() throws {
        let yen = Currency(code: "JPY")!
        #expect(try Money.parse("1500", currency: yen).minorUnits == 1500)
        #expect(throws: MoneyParseError.tooManyDecimals("1500.5", allowed: 0, currency: "JPY")) {
            try Money.parse("1500.5", currency: yen)
        }
        #expect(try Money.parse("1.234", currency: Currency(code: "KWD")!).decimalText == "1.234")
        #expect(Currency(code: "XYZ") == nil)
    }

    @Test(arguments: [(100_050, "1000.50"), (1, "0.01"), (0, "0.00"), (-98_500, "-985.00"), (10, "0.10")] as [(Int64, String)])
    func formatsWithTheCurrencysDecimals(_ minor: Int64, _ text: String) {
        #expect(Money.minor(minor).decimalText == text)
    }

    @Test(arguments: [
        // amount, percent, fee — half up at exactly half a satang
        ("1000.00", "1.50", "15.00"), ("999.99", "1.5", "15.00"), ("33.33", "1.5", "0.50"), ("0.33", "1.5", "0.00"),
        ("0.34", "1.5", "0.01"), ("100.00", "0", "0.00"), ("1.00", "100", "1.00"), ("12345.67", "2.25", "277.78"),
    ] as [(String, String, String)])
    func percentFeesRoundHalfUp(_ amount: String, _ percent: String, _ fee: String) throws {
        let rate = try #require(Percentage.parse(percent))
        #expect(rate.of(try Money.parse(amount)).decimalText == fee)
    }

    @Test func percentagesAreReadExactly() {
        #expect(Percentage.parse("1.50")?.partsPerMillion == 15_000)
        #expect(Percentage.parse("0.0001")?.partsPerMillion == 1)
        #expect(Percentage.parse("100.00001") == nil)
        #expect(Percentage.parse("101") == nil)
        #expect(Percentage.parse("-1") == nil)
        #expect(Percentage.parse("1e2") == nil)
        #expect(Percentage.parse("1.50")?.description == "1.50")
    }

    @Test(arguments: [
        ("107.00", "100.00", "7.00"), ("100.00", "93.46", "6.54"), ("1.00", "0.93", "0.07"), ("0.01", "0.01", "0.00"),
        ("1000.50", "935.05", "65.45"), ("0.15", "0.14", "0.01"),
    ] as [(String, String, String)])
    func vatSplitsAnInclusiveTotalExactly(_ total: String, _ base: String, _ vat: String) throws {
        let split = VATSplit(total: try Money.parse(total))
        #expect(split.base.decimalText == base)
        #expect(split.vat.decimalText == vat)
        #expect(split.base.minorUnits + split.vat.minorUnits == split.total.minorUnits)
    }

    @Test func roundingIsExactAtFullWidth() {
        #expect(Rounding.halfUp(Int64.max, times: 1_000_000, dividedBy: 1_000_000) == Int64.max)
        #expect(Rounding.halfUp(5, times: 1, dividedBy: 10) == 1)
        #expect(Rounding.halfUp(4, times: 1, dividedBy: 10) == 0)
        #expect(Rounding.halfUp(-5, times: 1, dividedBy: 10) == -1)
    }
}
