import Hummingbird
import Logging
import Payments

/// Reports: an accountant's key reads every book, a merchant's key only its own (checked per report).
/// Merchant keys keep their IP allow-list here too.
struct ReportAuthenticationMiddleware: RouterMiddleware {
    typealias Context = SatangRequestContext

    let accountants: Accountants
    let merchants: MerchantRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = request.headers[MerchantAuthenticationMiddleware.apiKey], !key.isEmpty else {
            throw APIError(status: .unauthorized, errorCode: "UNAUTHORIZED", message: "reports need an accountant's or a merchant's X-API-Key")
        }
        var context = context
        if let accountant = try await accountants.authenticate(apiKey: key) {
            context.reportReader = .accountant(accountant)
            context.logger[metadataKey: "accountant.id"] = .string("\(accountant.id)")
        } else if let (merchant, _) = try await merchants.authenticate(apiKey: key) {
            guard merchant.allows(address: context.remoteAddress) else {
                throw APIError(status: .forbidden, errorCode: "IP_NOT_ALLOWED", message: "IP not in whitelist")
            }
            context.reportReader = .merchant(merchant)
            context.logger[metadataKey: "merchant.code"] = .string(merchant.code)
        } else {
            throw APIError(status: .unauthorized, errorCode: "UNAUTHORIZED", message: "missing, unknown or disabled X-API-Key")
        }
        return try await next(request, context)
    }
}
