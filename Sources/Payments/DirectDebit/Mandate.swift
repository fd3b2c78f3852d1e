import Foundation
import PostgresClient

/// Where a Direct Debit registration stands.
public enum MandateStatus: String, Sendable, CaseIterable, PostgresTextEnum {
    case pendingCallback = "PENDING_CALLBACK"
    case active = "ACTIVE"
    case rejected = "REJECTED"
    case failed = "FAILED"
}

/// A customer's KTB account registered for direct debit by a merchant.
public struct Mandate: Sendable, Equatable {
    public var id: UUID
    public var merchantID: Int64
    public var digitalID: String
    public var accountNo: String
    public var references: [String?]
    public var status: MandateStatus
    /// The `requestUID` of the latest submission to KTB.
    public var requestUID: String
    public var ddrOapiSeqId: String?
    /// KTB's code when it refused (e.g. `CBS001`, `0429`), or the callback's `respCode`.
    public var statusCode: String?
    public var statusDetail: String?
    public var submittedAt: Date
    public var resolvedAt: Date?
    public var createdAt: Date
}

/// What a registration request became.
public enum MandateSubmission: Sendable {
    /// KTB took it; the result comes by callback.
    case accepted(Mandate)
    /// KTB refused it with a documented code; the mandate is FAILED.
    case refused(Mandate, KTBStatus)
    /// No usable answer (timeout, network): it may have reached KTB, so it waits for a callback and may
    /// be submitted again later.
    case unanswered(Mandate, String)

    public var mandate: Mandate {
        switch self {
        case .accepted(let mandate), .refused(let mandate, _), .unanswered(let mandate, _): mandate
        }
    }
}

/// Why a mandate request was refused before reaching KTB.
public enum MandateError: Error, Sendable, Equatable, CustomStringConvertible {
    case validation([String: String])
    case notFound
    /// KTB is not configured on this server.
    case notConfigured
    /// Only a mandate still waiting for its callback, after the configured time, is submitted again.
    case notResubmittable(String)

    public var description: String {
        switch self {
        case .validation(let problems): ValidationProblems.text(problems)
        case .notFound: "no such direct debit registration"
        case .notConfigured: "KTB Direct Debit is not configured on this server (SATANG_KTB_* or --ktb-config)"
        case .notResubmittable(let why): why
        }
    }
}
