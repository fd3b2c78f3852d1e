import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Payments
import Synchronization

/// SANDBOX ONLY — a stand-in for Krungthai's Direct Debit Registration API that follows seed 004: it issues
/// expiring access and refresh tokens, refuses dead ones with `TK001`, validates registrations with the
/// documented codes, and sends the registration-result callback with the documented `msg-hdr`. Tests and
/// `satang sandbox ktb` run it. Accounts ending in 9 are rejected by callback (`I0001`); accounts starting
/// with 999 are refused at once (`CBS001`). `POST /simulator/next-answer {"code": "0429"}` makes the next
/// registration answer any documented code.
public final class KTBSimulator: Sendable {
    public struct Settings: Sendable {
        public var clientID = "ktb-sandbox-client"
        public var clientSecret = "ktb-sandbox-secret"
        public var vendorID = "001"
        public var companyID = "AAAA000001"
        public var partnerID = "ktb-sandbox-partner"
        /// The `x-api-key` its callbacks carry.
        public var callbackAPIKey = "ktb-sandbox-callback-key"
        /// Where registration results are sent (Satang's `/api/v1/webhooks/ktb/ddr`); none when `nil`.
        public var callbackURL: String?
        public var accessTokenLifetime: TimeInterval = 900
        public var refreshTokenLifetime: TimeInterval = 86_400
        public var callbackDelay: Duration = .milliseconds(100)
        public init() {}
    }

    struct State {
        var accessTokens: [String: Date] = [:]
        var refreshTokens: [String: Date] = [:]
        var requestUIDs: Set<String> = []
        var nextAnswer: (code: String, description: String?)?
        var sequence = 100
        var tokenRequests = 0
        var refreshRequests = 0
        var registrations: [[String: String]] = []
    }

    public let settings: Mutex<Settings>
    let state = Mutex(State())
    let clock: any KTBClock
    let logger: Logger

    public init(settings: Settings = Settings(), clock: any KTBClock = SystemKTBClock(), logger: Logger) {
        self.settings = Mutex(settings)
        self.clock = clock
        self.logger = logger
    }

    /// How many token and refresh requests it has answered (tests check tokens are reused).
    public var tokenRequestCount: (fetched: Int, refreshed: Int) { state.withLock { ($0.tokenRequests, $0.refreshRequests) } }

    /// The registrations it accepted, as sent.
    public var registrations: [[String: String]] { state.withLock { $0.registrations } }

    /// Makes the next registration answer `code` (any documented status code), with `description` as its
    /// `statusDesc` (KTB's own text, e.g. "accountNo is required") or the documented template.
    public func answerNext(with code: String, description: String? = nil) { state.withLock { $0.nextAnswer = (code, description) } }

    /// Forgets every refresh token, so the next refresh fails with TK001.
    public func revokeRefreshTokens() { state.withLock { $0.refreshTokens = [:] } }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("oauth/authentication/api/v2/token") { request, context in
            try await self.token(request, context, refresh: false)
        }
        router.post("oauth/authentication/api/v2/token/refresh") { request, context in
            try await self.token(request, context, refresh: true)
        }
        router.post("directdebit/v1/open-api/registerddr") { request, context in try await self.register(request, context) }
        router.post("simulator/next-answer") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 4096)
            let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: String]
            guard let code = object?["code"] else { return Self.json(.badRequest, ["message": "send {\"code\": \"0429\"}"]) }
            self.answerNext(with: code)
            return Self.json(.ok, ["message": "the next registration answers \(code)"])
        }
        return router
    }

    // MARK: Tokens

    private func token(_ request: Request, _ context: BasicRequestContext, refresh: Bool) async throws -> Response {
        var request = request
        let form = Self.form(String(buffer: try await request.collectBody(upTo: 16_384)))
        let settings = self.settings.withLock { $0 }
        let now = clock.now()
        let granted: Bool = state.withLock { state in
            guard form["client_id"] == settings.clientID, form["client_secret"] == settings.clientSecret else { return false }
            guard refresh else {
                state.tokenRequests += 1
                return true
            }
            guard form["grant_type"] == "refresh_token", let token = form["refresh_token"], let expiry = state.refreshTokens[token], now < expiry
            else { return false }
            state.refreshTokens[token] = nil
            state.refreshRequests += 1
            return true
        }
        guard granted else { return Self.json(.unauthorized, ["code": "TK001", "message": KTBStatus.tokenInvalid.bankDescription]) }
        let access = "at-" + UUID().uuidString, refreshToken = "rt-" + UUID().uuidString
        state.withLock {
            $0.accessTokens[access] = now.addingTimeInterval(settings.accessTokenLifetime)
            $0.refreshTokens[refreshToken] = now.addingTimeInterval(settings.refreshTokenLifetime)
        }
        let body = JSONValue.object([
            ("code", .string("0000")), ("message", .string("Success")),
            ("data", .object([
                ("token_type", .string("BEARER")), ("access_token", .string(access)),
                ("expires_in", .number("\(Int(settings.accessTokenLifetime))")), ("refresh_token", .string(refreshToken)),
                ("refresh_token_expires_in", .number("\(Int(settings.refreshTokenLifetime))")),
            ])),
        ])
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body.serialized)))
    }

    // MARK: Registration

    private func register(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var request = request
        let bodyBytes = try await request.collectBody(upTo: 65_536)
        let settings = self.settings.withLock { $0 }
        let now = clock.now()
        func refuse(_ code: String, _ description: String, uid: String = "", status: HTTPResponse.Status = .badRequest) -> Response {
            Self.json(status, ["statusCode": code, "statusDesc": description, "severity": "ERROR", "requestUID": uid])
        }
        let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        let tokenLive = state.withLock { state in bearer.flatMap { state.accessTokens[$0] }.map { now < $0 } ?? false }
        guard tokenLive else { return refuse("TK001", KTBStatus.tokenInvalid.bankDescription, status: .unauthorized) }
        guard let headerText = request.headers[HTTPField.Name("msg-hdr")!] else { return refuse("CMN001", "msg-hdr is required") }
        guard let header = (try? JSONSerialization.jsonObject(with: Data(headerText.utf8))) as? [String: String] else {
            return refuse("CMN002", "Invalid format msg-hdr")
        }
        guard let uid = header["requestUID"], !uid.isEmpty else { return refuse("AU00003", "requestUID is required") }
        guard uid.count <= 36 else { return refuse("AU00004", "Invalid format, requestUID", uid: uid) }
        guard request.headers[HTTPField.Name("digital-id")!]?.isEmpty == false else { return refuse("CMN001", "digital-id is required", uid: uid) }
        if let forced = state.withLock({ state -> (code: String, description: String?)? in defer { state.nextAnswer = nil }; return state.nextAnswer }) {
            let description = forced.description ?? KTBStatus(rawValue: forced.code)?.bankDescription ?? "Forced answer"
            return refuse(forced.code, description, uid: uid, status: forced.code == "0429" ? .tooManyRequests : .badRequest)
        }
        guard state.withLock({ $0.requestUIDs.insert(uid).inserted }) else { return refuse("BSN007", "Duplicate Request UID", uid: uid) }
        guard let body = (try? JSONSerialization.jsonObject(with: Data(bodyBytes.readableBytesView))) as? [String: Any] else {
            return refuse("AU00400", "Bad Request", uid: uid)
        }
        var fields: [String: String] = [:]
        for (key, value) in body {
            guard let text = value as? String else { return refuse("CMN002", "Invalid format \(key)", uid: uid) }
            fields[key] = text
        }
        for name in ["vendorID", "companyID", "accountNo"] where fields[name]?.isEmpty != false {
            return refuse("CMN001", "\(name) is required", uid: uid)
        }
        for (name, limit) in [("vendorID", 10), ("companyID", 15), ("accountNo", 13), ("ref1", 20), ("ref2", 20), ("ref3", 20), ("ref4", 20)]
        where (fields[name]?.count ?? 0) > limit {
            return refuse("CMN005", "\(name) is over max length (\(limit))", uid: uid)
        }
        let account = fields["accountNo"]!
        guard account.allSatisfy({ $0.isASCII && $0.isNumber }) else { return refuse("CMN004", "accountNo must be numeric.", uid: uid) }
        guard fields["vendorID"] == settings.vendorID else { return refuse("BSN001", "Vendor Id Not Found", uid: uid) }
        guard fields["companyID"] == settings.companyID else { return refuse("BSN004", "Company Profile Not Found", uid: uid) }
        guard !account.hasPrefix("999") else { return refuse("CBS001", "Invalid Account No", uid: uid) }
        let sequence = state.withLock { state -> Int in
            state.sequence += 1
            state.registrations.append(fields)
            return state.sequence
        }
        if let callbackURL = settings.callbackURL {
            let result = account.hasSuffix("9") ? ("I0001", "Reject") : ("I0000", "Success")
            Task { await self.sendCallback(fields, result: result, to: callbackURL, settings: settings) }
        }
        let answer = JSONValue.object([
            ("statusCode", .string("0")), ("statusDesc", .string("Success")), ("severity", .string("INFO")),
            ("requestUID", .string(uid)), ("ddrOapiSeqId", .number("\(sequence)")),
        ])
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer.serialized)))
    }

    /// The registration-result callback, as seed 004 shows it.
    private func sendCallback(_ fields: [String: String], result: (String, String), to url: String, settings: Settings) async {
        try? await Task.sleep(for: settings.callbackDelay)
        let bangkok = TimeZone(identifier: "Asia/Bangkok")!
        let now = clock.now()
        let header = JSONValue.object([
            ("channelId", .string("DDR-OPEN-API")), ("oapi-client-id", .string(settings.clientID)),
            ("oapi-partner-id", .string(settings.partnerID)), ("requestUID", .string(UUID().lowercasedText)),
            ("requestDateTime", .string(Self.format(now, "yyyyMMdd HH:mm:ss", bangkok))), ("x-api-key", .string(settings.callbackAPIKey)),
        ])
        var body: [(String, JSONValue)] = [
            ("vendorId", .string(fields["vendorID"] ?? "")), ("companyId", .string(fields["companyID"] ?? "")),
            ("accountNo", .string(fields["accountNo"] ?? "")),
        ]
        for index in 1...4 { if let reference = fields["ref\(index)"] { body.append(("ref\(index)", .string(reference))) } }
        body += [("applyDtm", .string(Self.format(now, "yyyyMMdd HH:mm:ss", bangkok))), ("respCode", .string(result.0)),
                 ("respDesc", .string(result.1))]
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "msg-hdr", value: header.serialized)
        request.body = .bytes(ByteBuffer(string: JSONValue.object(body).serialized))
        do {
            _ = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        } catch {
            logger.warning("KTB simulator could not deliver a callback", metadata: ["error.type": "\(type(of: error))"])
        }
    }

    static func format(_ date: Date, _ format: String, _ zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = format
        return formatter.string(from: date)
    }

    static func form(_ text: String) -> [String: String] {
        var form: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = parts.first?.removingPercentEncoding else { continue }
            form[key] = parts.count > 1 ? String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding : ""
        }
        return form
    }

    static func json(_ status: HTTPResponse.Status, _ fields: [String: String]) -> Response {
        let body = JSONValue.object(fields.keys.sorted().map { ($0, .string(fields[$0]!)) }).serialized
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
