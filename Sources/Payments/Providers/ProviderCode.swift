import PostgresClient

/// The bank providers Satang drives payments through (seed 002's provider table).
public enum ProviderCode: String, Sendable, CaseIterable, Codable {
    case kbank = "KBANK"
    case scb = "SCB"
    case bbl = "BBL"
    case ktb = "KTB"

    /// The bank's name, for receipts and listings.
    public var bankName: String {
        switch self {
        case .kbank: "Kasikorn Bank"
        case .scb: "SCB Bank"
        case .bbl: "Bangkok Bank"
        case .ktb: "Krungthai Bank"
        }
    }
}

extension ProviderCode: PostgresTextEnum {}
