import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import Payments

/// Encodes response bodies the same way everywhere: UTF-8 JSON with sorted keys, so replays are byte-identical.
enum JSONBody {
    static func response(status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A JSON object written member by member, in the given order (the gateway's documented field order).
    static func response(status: HTTPResponse.Status, _ members: [(String, JSONValue)], headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: JSONValue.object(members).serialized)))
    }
}
