import Hummingbird
import Payments

/// Per-request state: Hummingbird's core context plus the merchant the request authenticated as.
public struct SatangRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `MerchantAuthenticationMiddleware`; routes behind it can rely on it.
    public var merchant: Merchant?
    /// The request body as received (at most 1 MiB), read once so signatures are checked over the exact bytes.
    public var rawBody: [UInt8] = []

    /// Set by `ReportAuthenticationMiddleware`: an accountant (every book) or a merchant (its own).
    public var reportReader: ReportReader?
    /// The peer's IP address, for merchants' allow-lists (never taken from headers a client can set).
    public var remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies above 1 MiB are refused with 413.
    public var maxUploadSize: Int { 1 << 20 }

    /// The authenticated merchant; only called behind the authentication middleware.
    func authenticatedMerchant() throws -> Merchant {
        guard let merchant else {
            throw APIError(status: .unauthorized, errorCode: "UNAUTHORIZED", message: "an X-API-Key header is required")
        }
        return merchant
    }
}
