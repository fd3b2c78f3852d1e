import Foundation

/// A Swift type that can be read from a column's text value.
///
/// `accepts` is checked first, so reading an `integer` column as `Date` fails with a type mismatch
/// naming the column rather than with a parse error.
public protocol PostgresDecodable: Sendable {
    /// Whether a column of this PostgreSQL type can be read as `Self`.
    static func accepts(_ type: PostgresDataType) -> Bool
    /// Reads the column's non-NULL text; throws a short reason when the text is malformed.
    static func decode(text: String, type: PostgresDataType) throws(PostgresDecodableFailure) -> Self
    /// What a NULL reads as, or `nil` when NULL is an error for this type.
    static var decodedNull: Self? { get }
}

/// Why a column's text could not be read; the row turns it into a `PostgresDecodingError` naming the column.
public struct PostgresDecodableFailure: Error, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}

extension PostgresDecodable {
    public static var decodedNull: Self? { nil }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { Wrapped.accepts(type) }
    public static func decode(text: String, type: PostgresDataType) throws(PostgresDecodableFailure) -> Self {
        try Wrapped.decode(text: text, type: type)
    }
    public static var decodedNull: Self? { .some(nil) }
}

extension Int64: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool {
        switch type {  // not `[…].contains`: a column read is too frequent for an array built each time
        case .int2, .int4, .int8, .oidType, .numeric: true
        default: false
        }
    }
    public static func decode(text: String, type: PostgresDataType) throws(PostgresDecodableFailure) -> Int64 {
        // numeric sums of bigint columns come back as e.g. "1500" or "1500.00"; only whole values fit.
        var digits = Substring(text)
        if type == .numeric, let dot = digits.firstIndex(of: ".") {
            guard digits[digits.index(after: dot)...].allSatisfy({ $0 == "0" }) else {
                throw PostgresDecodableFailure("\(text) is not a whole number")
            }
            digits = digits[..<dot]
        }
        guard let value = Int64(digits) else { throw PostgresDecodableFailure("\(text) does not fit in Int64") }
        return value
    }
}

extension Int: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { Int64.accepts(type) }
    public static func decode(text: String, type: PostgresDataType) throws(PostgresDecodableFailure) -> Int {
        Int(try Int64.decode(text: text, type: type))
    }
}

extension Int32: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { type == .int2 || type == .int4 }
    public static func decode(text: String, type: PostgresDataType) throws(PostgresDecodableFailure) -> Int32 {
        guard let value = Int32(text) else { throw PostgresDecodableFailure("\(text) is not an Int32") }
        return value
    }
}

extension String: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool {
        switch type {
        case .text, .varchar, .bpchar, .name, .char, .json, .jsonb, .uuid: true
        default: type.oid >= PostgresDataType.firstUserOID  // enums and other user-defined types read as text
        }
    }
    public static func decode(text: String, type: PostgresDataType) throws(PostgresDecodableFailure) -> String {
        text
    }
}

extension Bool: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { type == .bool }
    public static func decode(text: String, type: PostgresDataType) throws(PostgresDecodableFailure) -> Bool {
        switch text {
        case "t": return true
        case "f": return false
        default: throw PostgresDecodableFailure("\(text) is not a boolean")
        }
    }
}

extension Double: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool {
        switch type {
        case .float4, .float8, .numeric: true
        default: false
        }
    }
    public static func decode(text: String, type: PostgresDataType) throws(PostgresDecodableFailure) -> Double {
        guard let value = Double(text) else { throw PostgresDecodableFailure("\(text) is not a number") }
        return value
    }
}

extension Date: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { type == .timestamptz || type == .timestamp }
    public static func decode(text: String, type: PostgresDataType) throws(PostgresDecodableFailure) -> Date {
        guard let date = PostgresTimestamp.parse(text) else {
            throw PostgresDecodableFailure("\(text) is not an ISO timestamp (infinity and BC dates are not supported)")
        }
        return date
    }
}

extension UUID: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { type == .uuid }
    public static func decode(text: String, type: PostgresDataType) throws(PostgresDecodableFailure) -> UUID {
        guard let uuid = UUID(uuidString: text) else { throw PostgresDecodableFailure("\(text) is not a UUID") }
        return uuid
    }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    public static func accepts(_ type: PostgresDataType) -> Bool { Element.arrayTypes.contains(type) }
    public static func decode(text: String, type: PostgresDataType) throws(PostgresDecodableFailure) -> [Element] {
        try Element.decodeArray(text: text)
    }
}

/// Element types of the arrays Satang binds and reads: `bigint[]`, `text[]` and `bytea` as `[UInt8]`.
public protocol PostgresArrayElement: Sendable {
    static var arrayTypes: Set<PostgresDataType> { get }
    static func decodeArray(text: String) throws(PostgresDecodableFailure) -> [Self]
}

extension Int64: PostgresArrayElement {
    public static var arrayTypes: Set<PostgresDataType> { [.int8Array, .int4Array] }
    public static func decodeArray(text: String) throws(PostgresDecodableFailure) -> [Int64] {
        guard let elements = PostgresArrayLiteral.parse(text) else {
            throw PostgresDecodableFailure("\(text) is not a one-dimensional array")
        }
        var values: [Int64] = []
        values.reserveCapacity(elements.count)
        for element in elements {
            guard let element else { throw PostgresDecodableFailure("the array holds a NULL element") }
            guard let value = Int64(element) else { throw PostgresDecodableFailure("\(element) is not an Int64") }
            values.append(value)
        }
        return values
    }
}

extension String: PostgresArrayElement {
    public static var arrayTypes: Set<PostgresDataType> { [.textArray, .varcharArray] }
    public static func decodeArray(text: String) throws(PostgresDecodableFailure) -> [String] {
        guard let elements = PostgresArrayLiteral.parse(text) else {
            throw PostgresDecodableFailure("\(text) is not a one-dimensional array")
        }
        var values: [String] = []
        values.reserveCapacity(elements.count)
        for element in elements {
            guard let element else { throw PostgresDecodableFailure("the array holds a NULL element") }
            values.append(element)
        }
        return values
    }
}

/// `bytea` reads as `[UInt8]`, from the server's hex text form (`\x0aff`).
extension UInt8: PostgresArrayElement {
    public static var arrayTypes: Set<PostgresDataType> { [.bytea] }
    public static func decodeArray(text: String) throws(PostgresDecodableFailure) -> [UInt8] {
        let hex = Array(text.utf8)
        guard hex.count >= 2, hex[0] == UInt8(ascii: "\\"), hex[1] == UInt8(ascii: "x"), hex.count % 2 == 0 else {
            throw PostgresDecodableFailure("bytea is not in hex format")
        }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2 - 1)
        var index = 2
        while index < hex.count {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else {
                throw PostgresDecodableFailure("bytea has a character that is not hex")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}

/// Text-backed enums (statuses, codes) read from their column's text; an unknown word is a decoding error
/// naming the column, never a silent default.
public protocol PostgresTextEnum: PostgresDecodable, RawRepresentable where RawValue == String {}

extension PostgresTextEnum {
    public static func accepts(_ type: PostgresDataType) -> Bool { String.accepts(type) }
    public static func decode(text: String, type: PostgresDataType) throws(PostgresDecodableFailure) -> Self {
        guard let value = Self(rawValue: text) else { throw PostgresDecodableFailure("\(text) is not a known \(Self.self)") }
        return value
    }
}
