import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// One Direct Debit registration as KTB takes it (seed 004), lengths checked before anything is sent.
public struct KTBRegistration: Sendable, Equatable {
    /// The customer's identity on Satang's side (`digital-id` header), e.g. a national id.
    public var digitalID: String
    /// The customer's KTB account: digits, at most 13.
    public var accountNo: String
    /// `ref1`…`ref4`, each at most 20 characters.
    public var references: [String?]

    public init(digitalID: String, accountNo: String, references: [String?]) {
        self.digitalID = digitalID
        self.accountNo = accountNo
        self.references = references
    }

    /// Every problem at once, field → what is wrong.
    public func problems() -> [String: String] {
        var problems: [String: String] = [:]
        if !PlainText.fits(digitalID, 1...64) { problems["digitalId"] = "1 to 64 characters, no control characters" }
        if accountNo.isEmpty || accountNo.count > 13 || !accountNo.allSatisfy({ $0.isASCII && $0.isNumber }) {
            problems["accountNo"] = "1 to 13 digits (a KTB retail account)"
        }
        if references.count > 4 { problems["ref"] = "at most ref1 to ref4" }
        for (index, reference) in references.enumerated() {
            if let reference, !PlainText.fits(reference, 1...20) { problems["ref\(index + 1)"] = "1 to 20 characters, no control characters" }
        }
        return problems
    }
}

/// Satang as the client of Krungthai's Direct Debit Registration API: OAuth tokens (cached, refreshed)
/// and `registerddr`. Status codes become `KTBRefusal` errors: the typed code and the bank's own text.
public struct KTBClient: Sendable {
    public let configuration: KTBConfiguration
    let http: HTTPClient
    let tokens: KTBTokenCache
    let clock: any KTBClock
    let logger: Logger
    /// Until when KTB takes no new registration (after a `0429`): asked again only after that.
    let pausedUntil = KTBPause()

    public init(configuration: KTBConfiguration, http: HTTPClient = .shared, clock: any KTBClock = SystemKTBClock(), logger: Logger) {
        self.configuration = configuration
        self.http = http
        self.clock = clock
        self.tokens = KTBTokenCache(clock: clock)
        self.logger = logger
    }

    /// What KTB answered to a registration it took: wait for the registration-result callback next.
    public struct Accepted: Sendable, Equatable {
        public var requestUID: String
        public var ddrOapiSeqId: String
    }

    /// Sends the registration under `requestUID`. Not retried on a timeout or lost answer (the bank may
    /// have taken it: the mandate waits for its callback and can be submitted again later). A dead token
    /// (`TK001`) is the one case asked again at once, with a fresh token, since the bank did nothing.
    public func register(_ registration: KTBRegistration, requestUID: String) async throws -> Accepted {
        let problems = registration.problems()
        guard problems.isEmpty else { throw KTBProtocolError(problems.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")) }
        if let until = pausedUntil.value, clock.now() < until {
            throw KTBRefusal(.requestLimitExceeded, bankText: "KTB answered 0429 within the hour: no new registration until \(until)")
        }
        do {
            do {
                return try await sendRegistration(registration, requestUID: requestUID)
            } catch let refusal as KTBRefusal where refusal.status == .tokenInvalid {
                await tokens.invalidate()
                return try await sendRegistration(registration, requestUID: requestUID)
            }
        } catch let refusal as KTBRefusal where refusal.status == .requestLimitExceeded {
            pausedUntil.value = clock.now().addingTimeInterval(3600)  // "try again later after 1 hour"
            throw refusal
        }
    }

    private func sendRegistration(_ registration: KTBRegistration, requestUID: String) async throws -> Accepted {
        let token = try await accessToken()
        var body: [String: String] = [
            "vendorID": configuration.vendorID, "companyID": configuration.companyID, "accountNo": registration.accountNo,
        ]
        for (index, reference) in registration.references.enumerated() { if let reference { body["ref\(index + 1)"] = reference } }
        var request = HTTPClientRequest(url: configuration.baseURL + "/directdebit/v1/open-api/registerddr")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "msg-hdr", value: Self.json(["ipAddress": configuration.ipAddress, "requestUID": requestUID]))
        request.headers.add(name: "digital-id", value: registration.digitalID)
        request.body = .bytes(ByteBuffer(string: Self.json(body)))
        let answer = try await exchange(request, timeout: .seconds(15))
        let status = answer["statusCode"] as? String ?? ""
        guard status == "0" || status == "0000" else { throw Self.status(status, answer["statusDesc"]) }
        let sequence = answer["ddrOapiSeqId"].map { "\($0)" } ?? ""
        logger.info("KTB registration accepted", metadata: ["ktb.requestUID": "\(requestUID)"])
        return Accepted(requestUID: answer["requestUID"] as? String ?? requestUID, ddrOapiSeqId: sequence)
    }

    /// The cached access token, or a refreshed or fresh one.
    func accessToken() async throws -> String {
        let client = self
        return try await tokens.accessToken(
            fetch: { try await client.tokenRequest(path: "/oauth/authentication/api/v2/token", extra: [:]) },
            refresh: { refreshToken in
                try await client.tokenRequest(
                    path: "/oauth/authentication/api/v2/token/refresh",
                    extra: ["grant_type": "refresh_token", "refresh_token": refreshToken])
            })
    }

    /// A token request: form-encoded client credentials. Asking again is safe, so a lost answer is retried once.
    private func tokenRequest(path: String, extra: [String: String]) async throws -> KTBTokens {
        var form = ["client_id": configuration.clientID, "client_secret": configuration.clientSecret]
        form.merge(extra) { _, new in new }
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: Self.formEncoded(form)))
        let started = clock.now()
        let answer: [String: Any]
        do {
            answer = try await exchange(request, timeout: .seconds(10))
        } catch is KTBUnreachable {
            answer = try await exchange(request, timeout: .seconds(10))
        }
        let code = answer["code"] as? String ?? ""
        guard code == "0000" else { throw Self.status(code, answer["message"]) }
        guard let data = answer["data"] as? [String: Any], let access = data["access_token"] as? String,
            let refresh = data["refresh_token"] as? String
        else { throw KTBProtocolError("KTB token answer without access_token and refresh_token") }
        let expiresIn = (data["expires_in"] as? NSNumber)?.doubleValue ?? 900
        let refreshExpiresIn = (data["refresh_token_expires_in"] as? NSNumber)?.doubleValue ?? 86_400
        return KTBTokens(accessToken: access, accessExpiresAt: started.addingTimeInterval(expiresIn),
                         refreshToken: refresh, refreshExpiresAt: started.addingTimeInterval(refreshExpiresIn))
    }

    /// Sends `request` and reads the JSON object KTB answers with (on any HTTP status: errors carry codes too).
    private func exchange(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> [String: Any] {
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw KTBUnreachable("KTB did not answer: \(type(of: error))")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
            throw KTBProtocolError("KTB answered HTTP \(response.status.code) without a JSON body")
        }
        return object
    }

    static func status(_ code: String, _ message: Any?) -> any Error {
        guard let status = KTBStatus(rawValue: code) else { return KTBProtocolError("KTB answered unknown code \(code): \(message ?? "")") }
        return KTBRefusal(status, bankText: message as? String)
    }

    static func json(_ object: [String: String]) -> String {
        JSONValue.object(object.keys.sorted().map { ($0, .string(object[$0]!)) }).serialized
    }

    static func formEncoded(_ form: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return form.keys.sorted().map { key in
            "\(key)=\(form[key]!.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }
}

/// A moment shared by every copy of a client (its value is a struct), behind a lock.
final class KTBPause: Sendable {
    private let until = Mutex<Date?>(nil)
    var value: Date? {
        get { until.withLock { $0 } }
        set { until.withLock { $0 = newValue } }
    }
}
