/// Every status code Krungthai's Direct Debit Registration API documents (seed 004), with the bank's own
/// description, as one typed error. `0000` and `0` are success and never thrown.
public enum KTBStatus: String, Error, Sendable, CaseIterable, CustomStringConvertible {
    case tokenInvalid = "TK001"
    case unknownException = "9999"
    case badRequest = "AU00400"
    case unauthorized = "AU00401"
    case fieldRequiredAuth = "AU00003"
    case invalidFormatAuth = "AU00004"
    case systemError = "SYS001"
    case adapterError = "SYS002"
    case fieldRequired = "CMN001"
    case invalidFormat = "CMN002"
    case invalidValue = "CMN003"
    case notNumeric = "CMN004"
    case overMaxLength = "CMN005"
    case vendorNotFound = "BSN001"
    case duplicateTransaction = "BSN002"
    case transactionFailed = "BSN003"
    case companyProfileNotFound = "BSN004"
    case companyAlreadyUsed = "BSN005"
    case partnerNotFound = "BSN006"
    case duplicateRequestUID = "BSN007"
    case invalidAccountNo = "CBS001"
    case invalidProductGroup = "CBS002"
    case invalidAccountStatus = "CBS003"
    case requestLimitExceeded = "0429"

    /// The bank's description (`{0}` stands for the field it names).
    public var bankDescription: String {
        switch self {
        case .tokenInvalid: "Authentication failed token invalid."
        case .unknownException: "Unknown exception"
        case .badRequest: "Bad Request"
        case .unauthorized: "Unauthorized"
        case .fieldRequiredAuth, .fieldRequired: "{0} is required"
        case .invalidFormatAuth: "Invalid format, {0}"
        case .systemError: "System Error"
        case .adapterError: "Adapter General Error."
        case .invalidFormat: "Invalid format {0}"
        case .invalidValue: "Invalid {0}"
        case .notNumeric: "{0} must be numeric"
        case .overMaxLength: "{0} is over max length {1}"
        case .vendorNotFound: "Vendor Id Not Found"
        case .duplicateTransaction: "Duplicate Transaction"
        case .transactionFailed: "Transaction Failed"
        case .companyProfileNotFound: "Company Profile Not Found"
        case .companyAlreadyUsed: "Company Id and Company Code already used."
        case .partnerNotFound: "Partner Id Not Found"
        case .duplicateRequestUID: "Duplicate Request UID"
        case .invalidAccountNo: "Invalid Account No"
        case .invalidProductGroup: "Invalid Product Group"
        case .invalidAccountStatus: "Invalid Account Status"
        case .requestLimitExceeded: "Exceed the request limit, please try again later after 1 hour"
        }
    }

    public var description: String { "KTB \(rawValue): \(bankDescription)" }

    /// Whether asking again soon can succeed: only the bank's own failures. `0429` means no new registration
    /// for an hour, so it is not retried; a refused or invalid request stays refused.
    public var isTransient: Bool { self == .systemError || self == .adapterError || self == .unknownException }
}

/// KTB refused a request with a documented code; `bankText` is its own `statusDesc`/`message`, which
/// names the field where the template has `{0}` ("accountNo is required").
public struct KTBRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: KTBStatus
    public var bankText: String

    public init(_ status: KTBStatus, bankText: String? = nil) {
        self.status = status
        self.bankText = bankText.flatMap { $0.isEmpty ? nil : $0 } ?? status.bankDescription
    }

    public var description: String { "KTB \(status.rawValue): \(bankText)" }
}

/// A KTB answer Satang could not use: an unknown status code, a malformed body, or the bank unreachable.
public struct KTBProtocolError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// KTB could not be reached, or did not answer in time: the request may or may not have arrived.
public struct KTBUnreachable: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
