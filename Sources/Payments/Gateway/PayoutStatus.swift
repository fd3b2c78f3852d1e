import PostgresClient

/// Where a payout is in its life: seed 000's withdrawal statuses (see `sql/migrations/0010_payouts.sql`).
public enum PayoutStatus: String, Sendable, CaseIterable, PostgresTextEnum {
    case created
    case waiting
    case inBatch = "in batch"
    case processing
    case completed
    case cancelled
    case failed

    /// The same table as `payout_transitions`; a test compares them.
    public var allowedNext: Set<PayoutStatus> {
        switch self {
        case .created: [.inBatch, .cancelled]
        case .inBatch: [.processing, .waiting, .completed, .failed]
        case .waiting: [.inBatch, .processing, .failed]
        case .processing: [.completed, .failed]
        case .completed, .cancelled, .failed: []
        }
    }

    /// Seed 001's word: `pending`, `processing`, `completed`, `failed` or `cancelled`.
    public var dpayWord: String {
        switch self {
        case .created: "pending"
        case .waiting, .inBatch, .processing: "processing"
        case .completed: "completed"
        case .cancelled: "cancelled"
        case .failed: "failed"
        }
    }

    /// Statuses a word of either seed stands for, for list filters.
    public static func matching(word: String) -> [PayoutStatus]? {
        if let status = PayoutStatus(rawValue: word) { return [status] }
        let matches = allCases.filter { $0.dpayWord == word }
        return matches.isEmpty ? nil : matches
    }
}
