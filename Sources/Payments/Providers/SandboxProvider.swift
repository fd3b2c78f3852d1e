import Foundation
import Logging
import PostgresClient
import ServiceLifecycle
import Synchronization

/// SANDBOX ONLY — a simulated bank standing in for KBANK, SCB, BBL and KTB until real adapters exist.
///
/// It accepts every submission and then, like a bank, sends Satang a signed provider webhook with the
/// outcome: success by default. A payment's metadata can choose otherwise for demos and tests:
/// `{"sandbox": "fail"}` (business failure by webhook), `"refuse"` (refused at submission),
/// `"silence"` (no webhook: the payment will expire), `"unavailable"` (technical failure, retried).
/// Payouts are sent at once: to account 9999999999 they are refused ("account closed"), to 8888888888 the
/// bank is unreachable (retried, then failed); every other account is paid.
/// Runs only when the server is started with `--sandbox`; the health endpoint says so.
///
/// Like a bank, it does not forget a payment when Satang restarts: on start it sends again the outcome of
/// every payment it had accepted that is still PENDING (a crash may have lost its queued webhooks).
public final class SandboxProvider: PaymentProvider, Service {
    private let baseURL: Mutex<String>
    /// Where it finds, on start, the payments it accepted whose outcome Satang has not heard yet.
    let pool: PostgresPool?
    let logger: Logger
    private let webhooks: SandboxWebhookSender

    /// `webhookBaseURL` is Satang's own address, e.g. `http://127.0.0.1:8080`.
    public init(
        webhookBaseURL: String, secrets: [ProviderCode: String], pool: PostgresPool? = nil, logger: Logger,
        delay: Duration = .milliseconds(100)
    ) {
        self.baseURL = Mutex(webhookBaseURL)
        self.pool = pool
        self.logger = logger
        self.webhooks = SandboxWebhookSender(secrets: secrets, delay: delay, logger: logger)
    }

    /// Points the webhooks at the port the server actually bound (it may have asked for port 0).
    public func serverIsListening(port: Int) {
        baseURL.withLock { url in
            if let colon = url.lastIndex(of: ":"), url[url.index(after: colon)...].allSatisfy(\.isNumber) {
                url = String(url[..<colon]) + ":\(port)"
            }
        }
    }

    public func submit(_ payment: Payment) async throws -> SubmissionResult {
        let behaviour = Self.behaviour(payment.metadata)
        switch behaviour {
        case "refuse": return .refused(reason: "sandbox: refused at submission")
        case "unavailable": throw ProviderUnavailable("sandbox: provider unavailable")
        default:
            announceOutcome(of: payment.id, provider: payment.provider, behaviour: behaviour)
            return .accepted(reference: "SBX-\(payment.id.uuidString.prefix(8))")
        }
    }

    /// Queues the webhook that tells Satang how the payment ended (none for "silence").
    private func announceOutcome(of id: UUID, provider: ProviderCode, behaviour: String?) {
        guard behaviour != "silence" else { return }
        let status = behaviour == "fail" ? "FAILED_BUSINESS" : "SUCCEEDED"
        let body = "{\"eventId\":\"sbx-\(id.lowercasedText)\",\"paymentId\":\"\(id.lowercasedText)\",\"status\":\"\(status)\""
            + (status == "FAILED_BUSINESS" ? ",\"reason\":\"sandbox: insufficient funds\"" : ",\"payerName\":\"Sandbox Payer\"") + "}"
        webhooks.send(provider: provider, body: body)
    }

    /// Pays a PENDING deposit as a customer would: the bank's success webhook follows, as for any payment.
    public func payDeposit(paymentID: UUID, provider: ProviderCode) {
        announceOutcome(of: paymentID, provider: provider, behaviour: nil)
    }

    /// Announces again the outcome of every payment the sandbox accepted that is still PENDING.
    private func resumeAfterRestart() async {
        guard let pool else { return }
        do {
            let rows = try await pool.query(
                """
                SELECT id, provider, metadata::text AS metadata FROM payments
                 WHERE status = 'PENDING' AND provider_reference LIKE 'SBX-%' ORDER BY created_at
                """)
            for row in rows {
                guard let provider = ProviderCode(rawValue: try row.decode("provider")) else { continue }
                announceOutcome(of: try row.decode("id"), provider: provider, behaviour: Self.behaviour(try row.decode("metadata")))
            }
            if !rows.isEmpty { logger.notice("sandbox resumed pending payments", metadata: ["payments.count": "\(rows.count)"]) }
        } catch {
            logger.error("sandbox could not resume pending payments", metadata: ["error.type": "\(type(of: error))"])
        }
    }

    /// Delivers queued webhooks until shutdown; a 409 (not pending yet) or a network error is retried.
    public func run() async throws {
        await resumeAfterRestart()
        await withGracefulShutdownHandler {
            await webhooks.run { self.webhookTarget }
        } onGracefulShutdown: {
            self.webhooks.finish()
        }
    }

    /// Satang's own host and port, where the webhooks go.
    private var webhookTarget: (host: String, port: Int) {
        let components = baseURL.withLock { URLComponents(string: $0) }
        return (components?.host ?? "127.0.0.1", components?.port ?? 80)
    }

    /// Payout accounts that make the sandbox misbehave, for demos and tests.
    public static let closedAccount = "9999999999"
    public static let unreachableAccount = "8888888888"

    static func behaviour(_ metadata: String) -> String? {
        guard case .string(let behaviour)? = (try? JSONParser.parse(Array(metadata.utf8)))?["sandbox"] else { return nil }
        return behaviour
    }
}

extension SandboxProvider: PayoutProvider {
    public func send(_ payout: Payout) async throws -> PayoutResult {
        switch payout.accountNo {
        case Self.closedAccount: return .refused(reason: "sandbox: the receiving account is closed")
        case Self.unreachableAccount: throw ProviderUnavailable("sandbox: bank unreachable")
        default: return .completed(bankReference: "SBX\(payout.provider.rawValue)\(payout.reference.suffix(12))")
        }
    }
}
