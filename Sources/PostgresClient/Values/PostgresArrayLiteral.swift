/// Reads and writes one-dimensional PostgreSQL array literals (`{1,2,3}`, `{"a","b \"c\""}`).
enum PostgresArrayLiteral {
    /// The literal's UTF-8 bytes, every element quoted so `NULL`, commas and braces inside strings stay
    /// data; a `nil` is a bare `NULL`. `nil` when an element holds a NUL character, which text cannot store.
    /// Written byte by byte: batch statements send thousands of elements, and appending scalar by scalar
    /// to a `String` was a tenth of the server's CPU.
    static func utf8(strings: [String?]) -> [UInt8]? {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(strings.reduce(2) { $0 + ($1?.utf8.count ?? 4) + 3 })
        for (index, element) in strings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let element else {
                bytes.append(contentsOf: "NULL".utf8)
                continue
            }
            bytes.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                switch byte {
                case 0: return nil
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                default: break
                }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    static func utf8(integers: [Int64]) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(integers.count * 8 + 2)
        for (index, value) in integers.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: String(value).utf8)
        }
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// The elements of a one-dimensional array literal; `nil` elements were unquoted `NULL`s.
    static func parse(_ text: String) -> [String?]? {
        let scalars = Array(text.unicodeScalars)
        guard scalars.first == "{", scalars.last == "}" else { return nil }
        var elements: [String?] = []
        var index = 1
        let end = scalars.count - 1
        if index == end { return [] }
        while index < end {
            if scalars[index] == "\"" {
                index += 1
                var element = String.UnicodeScalarView()
                while index < end, scalars[index] != "\"" {
                    if scalars[index] == "\\" { index += 1 }
                    guard index < end else { return nil }
                    element.append(scalars[index])
                    index += 1
                }
                guard index < end else { return nil }
                index += 1
                elements.append(String(element))
            } else {
                var element = String.UnicodeScalarView()
                while index < end, scalars[index] != "," {
                    if scalars[index] == "{" || scalars[index] == "}" { return nil }  // nested arrays
                    element.append(scalars[index])
                    index += 1
                }
                let value = String(element)
                elements.append(value.uppercased() == "NULL" ? nil : value)
            }
            if index < end {
                guard scalars[index] == "," else { return nil }
                index += 1
                if index == end { return nil }
            }
        }
        return elements
    }
}
