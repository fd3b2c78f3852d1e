import Foundation
import ServiceLifecycle
import Hummingbird
import Ledger
import Logging
import Payments
import PostgresClient

/// The one place where Satang's HTTP application is wired together: router, middleware, routes and the
/// services that live beside the server. `satang serve` and the tests both build it here.
///
/// The pool is a service of the application, so it closes after the server has finished its in-flight requests.
/// `onListening` is told the port the server bound (the one asked for, or the kernel's pick for port 0).
public func buildApplication(
    settings: ServerSettings,
    pool: PostgresPool,
    logger: Logger,
    startedAt: Date = Date(),
    onListening: (@Sendable (Int) -> Void)? = nil
) -> some ApplicationProtocol {
    let router = Router(context: SatangRequestContext.self)
    router.middlewares.add(ClientAddressMiddleware(trustedProxies: settings.trustedProxies))
    router.middlewares.add(RequestLogMiddleware())
    router.middlewares.add(ErrorMiddleware())
    router.get("openapi.yaml") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
    }
    // Every registry that authenticates shares one key cache, kept honest by a listener among the services.
    let merchantKeys = MerchantKeyCache()
    let merchants = MerchantRegistry(pool: pool, keyCache: merchantKeys)
    let api = router.group("api/v1")
    HealthRoutes(pool: pool, startedAt: startedAt, sandbox: settings.sandbox).register(on: api)
    ProviderWebhookRoutes(confirmation: PaymentConfirmation(pool: pool), secrets: settings.providerSecrets).register(on: api)
    let merchantAPI = api.group().add(
        middleware: MerchantAuthenticationMiddleware(merchants: merchants, pool: pool))
    PaymentRoutes(payments: PaymentRegistry(pool: pool)).register(on: merchantAPI)
    ReceiptRoutes(pool: pool, payments: PaymentRegistry(pool: pool)).register(on: merchantAPI)
    ExceptionRoutes(exceptions: ReconciliationExceptions(pool: pool)).register(on: merchantAPI)
    var deposits = DepositRegistry(pool: pool)
    deposits.allowInsecureCallbacks = settings.allowInsecureCallbacks
    var payouts = PayoutRegistry(pool: pool)
    payouts.allowInsecureCallbacks = settings.allowInsecureCallbacks
    PublicDepositRoutes(deposits: deposits, payouts: payouts, sandbox: settings.sandbox).register(api: api, root: router)
    let gatewayAPI = api.group().add(middleware: GatewayAuthenticationMiddleware(merchants: merchants, pool: pool))
    BankRoutes(banks: BankDirectory(pool: pool)).register(on: gatewayAPI)
    DepositRoutes(deposits: deposits, publicURL: settings.publicURL).register(on: gatewayAPI)
    PayoutRoutes(payouts: payouts).register(on: gatewayAPI)
    AccountRoutes(ledger: Ledger(pool: pool), deposits: deposits, payouts: payouts).register(on: gatewayAPI)
    JWTRoutes(merchants: merchants).register(on: api)
    let reportAPI = api.group().add(
        middleware: ReportAuthenticationMiddleware(accountants: Accountants(pool: pool), merchants: merchants, pool: pool))
    ReportRoutes(ledger: Ledger(pool: pool)).register(on: reportAPI)
    AccountingReportRoutes(reports: AccountingReports(pool: pool), merchants: MerchantRegistry(pool: pool)).register(on: reportAPI)
    ReportPageRoutes(accountants: Accountants(pool: pool), sessions: ReportSessions(pool: pool),
                     secureCookie: settings.publicURL?.hasPrefix("https://") == true, ledger: Ledger(pool: pool),
                     reports: AccountingReports(pool: pool)).register(on: router)
    let ktbClient = settings.ktb.map { KTBClient(configuration: $0, logger: logger) }
    DirectDebitRoutes(mandates: MandateRegistry(pool: pool, client: ktbClient)).register(on: merchantAPI)
    KTBWebhookRoutes(callbacks: settings.ktb.map { RegistrationCallback(pool: pool, configuration: $0) }).register(on: api)
    var services: [any Service] = [
        pool, merchantKeys.listener(configuration: pool.configuration.connection, logger: logger),
        PaymentExpirySweeper(pool: pool, logger: logger), RetentionSweeper(pool: pool, logger: logger),
        CallbackDeliveryWorker(pool: pool, target: CallbackTarget(allowInsecure: settings.allowInsecureCallbacks), logger: logger),
    ]
    var sandbox: SandboxProvider?
    if settings.sandbox {
        let provider = SandboxProvider(
            webhookBaseURL: "http://\(settings.host):\(settings.port)",
            secrets: Dictionary(uniqueKeysWithValues: settings.providerSecrets.compactMap { code, secret in
                ProviderCode(rawValue: code).map { ($0, secret) }
            }),
            pool: pool, logger: logger)
        sandbox = provider
        PublicDepositRoutes(deposits: deposits, payouts: payouts).registerSandbox(api: api, sandbox: provider)
        var providers = Dictionary(uniqueKeysWithValues: ProviderCode.allCases.map { ($0, provider as any PaymentProvider) })
        // KTB payments are direct debits: checked against the customer's mandate, then debited by the sandbox.
        providers[.ktb] = KTBDirectDebitProvider(pool: pool, debit: provider)
        var dispatcher = PaymentDispatcher(pool: pool, providers: providers, logger: logger)
        dispatcher.lease = settings.submissionLease
        let payoutProviders = Dictionary(uniqueKeysWithValues: ProviderCode.allCases.map { ($0, provider as any PayoutProvider) })
        services += [dispatcher, PayoutDispatcher(pool: pool, providers: payoutProviders, logger: logger), provider]
    } else {
        logger.warning("no payment providers: start with --sandbox for the simulated bank; real adapters come later")
    }
    let listeningSandbox = sandbox
    return Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "satang"),
        services: services,
        onServerRunning: { channel in
            guard let port = channel.localAddress?.port else { return }
            listeningSandbox?.serverIsListening(port: port)
            onListening?(port)
        },
        logger: logger
    )
}
