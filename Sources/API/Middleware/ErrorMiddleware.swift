import Hummingbird
import HTTPTypes
import Logging
import PostgresClient

/// The last line of defence: an error no route mapped is logged at `.error` and answered with a generic
/// 500 whose body carries the request id, never the error's text (which could hold SQL or personal data).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            // Hummingbird's own refusals (no such route, body too large, …) get Satang's error shape too.
            throw APIError(
                status: error.status, errorCode: Self.errorCode(for: error.status),
                message: error.body ?? error.status.reasonPhrase)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            let requestID = context.logger[metadataKey: "request.id"]?.description ?? context.id
            var metadata: Logger.Metadata = ["error.type": .string(String(reflecting: type(of: error)))]
            // SQLSTATE and the server's primary message say what failed; the detail line can quote row values.
            if let error = error as? PostgresError {
                metadata["db.sqlstate"] = .string(error.sqlState)
                metadata["db.message"] = .string(error.message)
            }
            context.logger.error("unhandled error", metadata: metadata)
            throw APIError(
                status: .internalServerError, errorCode: "INTERNAL_ERROR",
                message: "Something went wrong on our side. Quote request id \(requestID) when reporting it.",
                details: ["requestId": requestID])
        }
    }

    static func errorCode(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "NOT_FOUND"
        case .methodNotAllowed: "METHOD_NOT_ALLOWED"
        case .contentTooLarge: "PAYLOAD_TOO_LARGE"
        case .unauthorized: "UNAUTHORIZED"
        case .forbidden: "FORBIDDEN"
        case .unsupportedMediaType: "UNSUPPORTED_MEDIA_TYPE"
        default: status.code >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST"
        }
    }
}
