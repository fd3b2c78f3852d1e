import Foundation
import Hummingbird
import HTTPTypes
import Logging

/// Gives every request an id (`request.id` in its logs, `X-Request-Id` on its response) and logs its outcome.
///
/// A caller's own `X-Request-Id` is kept when it is short and plain, so one id follows a call across services.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    static var requestIDHeader: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let requestID = Self.acceptableID(request.headers[Self.requestIDHeader]) ?? context.id
        context.logger[metadataKey: "request.id"] = .string(requestID)
        let started = ContinuousClock.now
        do {
            var response = try await next(request, context)
            response.headers[Self.requestIDHeader] = requestID
            log(request, status: response.status, started: started, logger: context.logger)
            return response
        } catch let error as any HTTPResponseError {
            log(request, status: error.status, started: started, logger: context.logger)
            var response = try error.response(from: request, context: context)
            response.headers[Self.requestIDHeader] = requestID
            return response
        }
    }

    private func log(_ request: Request, status: HTTPResponse.Status, started: ContinuousClock.Instant, logger: Logger) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        logger.info(
            "request",
            metadata: [
                "http.method": .string(request.method.rawValue),
                "http.path": .string(request.uri.path),
                "http.status": .stringConvertible(status.code),
                "http.duration_ms": .string(String(format: "%.2f", milliseconds)),
            ])
    }

    /// Up to 128 characters of letters, digits, '-', '_' and '.'; anything else could forge log lines.
    static func acceptableID(_ candidate: String?) -> String? {
        guard let candidate, !candidate.isEmpty, candidate.count <= 128,
            candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
        else { return nil }
        return candidate
    }
}
