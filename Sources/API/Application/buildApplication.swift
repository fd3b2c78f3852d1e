import Foundation
import Hummingbird
import Logging
import Payments
import PostgresClient

/// The one place where Satang's HTTP application is wired together: router, middleware, routes and the
/// services that live beside the server. `satang serve` and the tests both build it here.
///
/// The pool is a service of the application, so it closes after the server has finished its in-flight requests.
public func buildApplication(
    settings: ServerSettings,
    pool: PostgresPool,
    logger: Logger,
    startedAt: Date = Date()
) -> some ApplicationProtocol {
    let router = Router(context: SatangRequestContext.self)
    router.middlewares.add(RequestLogMiddleware())
    router.middlewares.add(ErrorMiddleware())
    let api = router.group("api/v1")
    HealthRoutes(pool: pool, startedAt: startedAt).register(on: api)
    ProviderWebhookRoutes(confirmation: PaymentConfirmation(pool: pool), secrets: settings.providerSecrets).register(on: api)
    let merchantAPI = api.group().add(
        middleware: MerchantAuthenticationMiddleware(merchants: MerchantRegistry(pool: pool), pool: pool))
    PaymentRoutes(payments: PaymentRegistry(pool: pool)).register(on: merchantAPI)
    return Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "satang"),
        services: [pool],
        logger: logger
    )
}
