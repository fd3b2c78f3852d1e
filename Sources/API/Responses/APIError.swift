import Foundation
import Hummingbird
import HTTPTypes
import Payments

/// An error answered as `{"errorCode", "message", …details}` with its HTTP status.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// A stable code clients branch on, e.g. `VALIDATION_ERROR`.
    public var errorCode: String
    /// What went wrong and how to fix the request, for a person.
    public var message: String
    /// Extra fields merged into the body, e.g. the request id or the fields that failed validation.
    public var details: [String: String]

    /// Answered in the gateway seeds' error envelope as well: `success: false`, `status: "error"` and the
    /// numeric `code` (seed 000), beside `errorCode` and `message`.
    public var gatewayEnvelope: Bool

    public init(
        status: HTTPResponse.Status, errorCode: String, message: String, details: [String: String] = [:],
        gatewayEnvelope: Bool = false
    ) {
        self.status = status
        self.errorCode = errorCode
        self.message = message
        self.details = details
        self.gatewayEnvelope = gatewayEnvelope
    }

    /// The same error in the gateway's envelope.
    var inGatewayEnvelope: APIError {
        var error = self
        error.gatewayEnvelope = true
        return error
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        guard gatewayEnvelope else {
            var body = details
            body["errorCode"] = errorCode
            body["message"] = message
            return try JSONBody.response(status: status, body)
        }
        var members: [(String, JSONValue)] = [
            ("success", .bool(false)), ("status", .string("error")), ("code", .number("\(status.code)")),
            ("errorCode", .string(errorCode)), ("message", .string(message)),
        ]
        for key in details.keys.sorted() { members.append((key, .string(details[key]!))) }
        return JSONBody.response(status: status, members)
    }
}
