import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Payments

/// A report answered as JSON or as CSV (`?format=csv` or `Accept: text/csv`), the same figures either way.
enum ReportBody {
    enum Format { case json, csv }

    static func format(of request: Request) throws -> Format {
        switch request.uri.queryParameters.get("format")?.lowercased() {
        case "csv"?: return .csv
        case "json"?: return .json
        case nil: return request.headers[.accept]?.contains("text/csv") == true ? .csv : .json
        case let other?:
            throw APIError(status: .badRequest, errorCode: "VALIDATION_ERROR", message: "format \(other) is not json or csv",
                           details: ["fields": "format"])
        }
    }

    static func respond(_ format: Format, json: @autoclosure () -> JSONValue, csv: @autoclosure () -> [[String]], name: String) -> Response {
        switch format {
        case .json:
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: json().serialized)))
        case .csv:
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name).csv\""],
                body: .init(byteBuffer: ByteBuffer(string: csvText(csv()))))
        }
    }

    /// RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF between records.
    static func csvText(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { raw in
                let field = defused(raw)
                return field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                    ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
    }

    /// Text a spreadsheet would run as a formula (`=…`, `+…`, `@…`, `-…` that is not a number) gets a
    /// leading apostrophe: payer names and descriptions come from customers and merchants.
    static func defused(_ field: String) -> String {
        guard let first = field.first, "=+-@\t\r".contains(first) else { return field }
        if first == "-", Decimal(string: field) != nil, field.dropFirst().allSatisfy({ $0.isNumber || $0 == "." }) { return field }
        return "'" + field
    }
}
