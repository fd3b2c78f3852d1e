/// Reads one-dimensional PostgreSQL array literals (`{1,2,3}`, `{"a","b \"c\""}`), as the server writes them
/// in text results; parameters go in binary (`PostgresBinaryArray`).
enum PostgresArrayLiteral {
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
