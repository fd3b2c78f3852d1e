import Foundation

/// A statement parameter. Values always travel separately from the SQL text, never spliced into it.
///
/// Write the SQL with explicit casts (`$1::int8`) so the statement reads the same whatever is bound.
public enum PostgresValue: Sendable, Equatable {
    case null
    case int64(Int64)
    case int32(Int32)
    case string(String)
    case bool(Bool)
    /// For non-money values only: amounts are always `int64` minor units.
    case double(Double)
    /// Sent as `timestamptz` with microsecond precision.
    case date(Date)
    case uuid(UUID)
    case bytes([UInt8])
    /// JSON text, sent as `jsonb`.
    case json(String)
    case int64Array([Int64])
    /// A `text[]`; a `nil` element is SQL `NULL`.
    case stringArray([String?])

    /// The parameter's type as declared to the server.
    var dataType: PostgresDataType {
        switch self {
        case .null: .unspecified
        case .int64: .int8
        case .int32: .int4
        case .string: .text
        case .bool: .bool
        case .double: .float8
        case .date: .timestamptz
        case .uuid: .uuid
        case .bytes: .bytea
        case .json: .jsonb
        case .int64Array: .int8Array
        case .stringArray: .textArray
        }
    }
}

extension PostgresValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(integerLiteral value: Int64) { self = .int64(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension PostgresValue {
    /// A value or NULL, for optional columns: `.optional(note, PostgresValue.string)`.
    public static func optional<T>(_ value: T?, _ wrap: (T) -> PostgresValue) -> PostgresValue {
        value.map(wrap) ?? .null
    }
}
