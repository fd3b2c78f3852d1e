import Hummingbird
import Logging
import Payments
import PostgresClient

/// Reports: an accountant's key reads every book, a merchant's key only its own (checked per report).
/// A merchant key passes the same checks as on the merchant API (allow-list, and a signature when it is
/// sent or the merchant requires one): reports are not a way around them.
struct ReportAuthenticationMiddleware: RouterMiddleware {
    typealias Context = SatangRequestContext

    let accountants: Accountants
    let merchants: MerchantRegistry
    let pool: PostgresPool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = request.headers[MerchantAuthenticationMiddleware.apiKey], !key.isEmpty else {
            throw APIError(status: .unauthorized, errorCode: "UNAUTHORIZED", message: "reports need an accountant's or a merchant's X-API-Key")
        }
        if let accountant = try await accountants.authenticate(apiKey: key) {
            var context = context
            context.reportReader = .accountant(accountant)
            context.logger[metadataKey: "accountant.id"] = .string("\(accountant.id)")
            return try await next(request, context)
        }
        return try await MerchantAuthenticationMiddleware(merchants: merchants, pool: pool).handle(request, context: context) { request, context in
            var context = context
            context.reportReader = .merchant(try context.authenticatedMerchant())
            return try await next(request, context)
        }
    }
}
