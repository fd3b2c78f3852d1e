import Foundation

/// The bytes, format and type of one parameter as libpq sends it.
struct WireParameter {
    /// `nil` for SQL NULL. Text values are NUL-terminated by the caller.
    var bytes: [UInt8]?
    /// 0 for text, 1 for binary: `bytea` (no hex round trip) and arrays (no literal to parse).
    var format: Int32
    var type: PostgresDataType
}

extension PostgresValue {
    /// Encodes the value for libpq; a string holding a NUL character cannot be stored by PostgreSQL and is refused.
    func wireParameter(index: Int) throws(PostgresError) -> WireParameter {
        func text(_ string: String) throws(PostgresError) -> WireParameter {
            guard !string.utf8.contains(0) else {
                throw .clientError("parameter $\(index + 1) contains a NUL character, which PostgreSQL text cannot store")
            }
            return WireParameter(bytes: Array(string.utf8), format: 0, type: dataType)
        }
        switch self {
        case .null: return WireParameter(bytes: nil, format: 0, type: .unspecified)
        case .int64(let value): return try text(String(value))
        case .int32(let value): return try text(String(value))
        case .string(let value): return try text(value)
        case .bool(let value): return try text(value ? "t" : "f")
        case .double(let value):
            if value.isNaN { return try text("NaN") }
            if value.isInfinite { return try text(value > 0 ? "Infinity" : "-Infinity") }
            return try text(String(value))
        case .date(let value): return try text(PostgresTimestamp.format(value))
        case .uuid(let value): return try text(value.uuidString)
        case .bytes(let value): return WireParameter(bytes: value, format: 1, type: .bytea)
        case .json(let value): return try text(value)
        case .int64Array(let values):
            return WireParameter(bytes: PostgresBinaryArray.int8(values), format: 1, type: dataType)
        case .stringArray(let values):
            guard let bytes = PostgresBinaryArray.text(values) else {
                throw .clientError("parameter $\(index + 1) has an element with a NUL character")
            }
            return WireParameter(bytes: bytes, format: 1, type: dataType)
        }
    }
}
