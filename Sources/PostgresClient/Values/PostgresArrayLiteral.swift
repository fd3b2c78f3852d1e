/// Reads and writes one-dimensional PostgreSQL array literals (`{1,2,3}`, `{"a","b \"c\""}`).
enum PostgresArrayLiteral {
    /// Every element quoted, so `NULL`, commas and braces inside strings stay data; a `nil` is a bare `NULL`.
    static func format(strings: [String?]) -> String {
        var text = "{"
        for (index, element) in strings.enumerated() {
            if index > 0 { text += "," }
            guard let element else {
                text += "NULL"
                continue
            }
            text += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { text += "\\" }
                text.unicodeScalars.append(character)
            }
            text += "\""
        }
        return text + "}"
    }

    static func format(integers: [Int64]) -> String {
        "{" + integers.map(String.init).joined(separator: ",") + "}"
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
