import Foundation
import Hummingbird
import HTTPTypes

/// An error answered as `{"errorCode", "message", …details}` with its HTTP status.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// A stable code clients branch on, e.g. `VALIDATION_ERROR`.
    public var errorCode: String
    /// What went wrong and how to fix the request, for a person.
    public var message: String
    /// Extra fields merged into the body, e.g. the request id or the fields that failed validation.
    public var details: [String: String]

    public init(status: HTTPResponse.Status, errorCode: String, message: String, details: [String: String] = [:]) {
        self.status = status
        self.errorCode = errorCode
        self.message = message
        self.details = details
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body = details
        body["errorCode"] = errorCode
        body["message"] = message
        return try JSONBody.response(status: status, body)
    }
}
