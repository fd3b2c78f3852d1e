/// The statements a connection has prepared, by SQL text and parameter types.
///
/// Preparing once and then only binding saves the server a parse and plan per call; the cap keeps a
/// connection that sees many one-off statements from growing without bound.
struct PreparedStatementCache {
    struct Key: Hashable {
        var sql: String
        var types: [UInt32]
    }

    static let capacity = 512

    private var names: [Key: String] = [:]
    private var counter = 0

    func name(for key: Key) -> String? { names[key] }
    var isFull: Bool { names.count >= Self.capacity }

    mutating func nextName() -> String {
        counter += 1
        return "satang_\(counter)"
    }

    mutating func insert(_ name: String, for key: Key) { names[key] = name }
    mutating func removeAll() { names.removeAll(keepingCapacity: true) }
}
