import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

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
}
