import Foundation

/// Which of a merchant's payments to list, in what order, and which page.
public struct PaymentQuery: Sendable {
    /// The fields a listing may be sorted by; each maps to a fixed column, never to client text.
    public enum SortField: String, Sendable, CaseIterable {
        case createdAt, amount, status, updatedAt, sourcePaymentId, referenceId

        var column: String {
            switch self {
            case .createdAt: "created_at"
            case .amount: "amount"
            case .status: "status"
            case .updatedAt: "updated_at"
            case .sourcePaymentId, .referenceId: "source_payment_id"
            }
        }
    }

    public var provider: ProviderCode?
    public var statuses: [PaymentStatus]?
    public var sourcePaymentID: String?
    public var createdFrom: Date?
    public var createdTo: Date?
    public var sortBy: SortField = .createdAt
    public var ascending = false
    /// 1-based.
    public var page = 1
    public var limit = 20

    public init() {}
}
