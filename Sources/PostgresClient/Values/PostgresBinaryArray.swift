/// One-dimensional array parameters in PostgreSQL's binary format, as `array_recv` reads them.
///
/// Batch statements send each column of a batch as one array. As a text literal the server scanned every
/// element for quotes and escapes and parsed each number again (`array_in`, 2% of the machine in the
/// payments bench); in binary each element is a length and its bytes, taken as they are.
enum PostgresBinaryArray {
    /// `bigint[]`: each element 8 bytes, big-endian.
    static func int8(_ values: [Int64]) -> [UInt8] {
        var bytes = header(count: values.count, hasNull: false, element: .int8, elementBytes: values.count * 12)
        for value in values {
            append(Int32(8), to: &bytes)
            append(value, to: &bytes)
        }
        return bytes
    }

    /// `text[]`: each element its UTF-8 bytes, `nil` as SQL NULL. `nil` when an element holds a NUL
    /// character, which text cannot store.
    static func text(_ values: [String?]) -> [UInt8]? {
        let elementBytes = values.reduce(0) { $0 + 4 + ($1?.utf8.count ?? 0) }
        var bytes = header(count: values.count, hasNull: values.contains(nil), element: .text, elementBytes: elementBytes)
        for value in values {
            guard var value else {
                append(Int32(-1), to: &bytes)
                continue
            }
            let stored = value.withUTF8 { utf8 -> Bool in
                guard !utf8.contains(0) else { return false }
                append(Int32(utf8.count), to: &bytes)
                bytes.append(contentsOf: utf8)
                return true
            }
            guard stored else { return nil }
        }
        return bytes
    }

    /// Dimensions (none for an empty array), the null flag and the element type, then one dimension's size
    /// and lower bound.
    private static func header(count: Int, hasNull: Bool, element: PostgresDataType, elementBytes: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20 + elementBytes)
        append(Int32(count == 0 ? 0 : 1), to: &bytes)
        append(Int32(hasNull ? 1 : 0), to: &bytes)
        append(element.oid, to: &bytes)
        if count > 0 {
            append(Int32(count), to: &bytes)
            append(Int32(1), to: &bytes)
        }
        return bytes
    }

    private static func append<Integer: FixedWidthInteger>(_ value: Integer, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
