import HTTPTypes
import Payments

/// Reads `POST /api/v1/payments`'s JSON body into a registration, naming every bad field.
enum PaymentRequestBody {
    static let knownFields: Set<String> = ["sourceId", "sourcePaymentId", "amount", "currency", "provider", "description", "metadata"]

    static func decode(_ body: [UInt8], merchant: Merchant) throws -> PaymentRegistration {
        let document: JSONValue
        do {
            document = try JSONParser.parse(body)
        } catch {
            throw APIError(status: .badRequest, errorCode: "VALIDATION_ERROR", message: "the body is not valid JSON: \(error)")
        }
        guard case .object(let members) = document else {
            throw APIError(status: .badRequest, errorCode: "VALIDATION_ERROR", message: "the body must be a JSON object")
        }
        var problems: [String: String] = [:]
        for (name, _) in members where !knownFields.contains(name) { problems[name] = "unknown field" }
        func string(_ name: String, required: Bool) -> String? {
            switch document[name] {
            case .string(let value)?: return value
            case nil, .null?: if required { problems[name] = "required" }; return nil
            default: problems[name] = "must be a string"; return nil
            }
        }
        let sourceID = string("sourceId", required: true)
        let sourcePaymentID = string("sourcePaymentId", required: true)
        let currency = string("currency", required: true)
        let provider = string("provider", required: false)
        let description = string("description", required: false)
        var amountText: String?
        switch document["amount"] {
        case .number(let text)?: amountText = text
        case nil, .null?: problems["amount"] = "required"
        default: problems["amount"] = "must be a JSON number, e.g. 1070 or 1070.50"
        }
        var metadata = "{}"
        switch document["metadata"] {
        case .object?: metadata = document["metadata"]!.serialized
        case nil, .null?: break
        default: problems["metadata"] = "must be an object"
        }
        if metadata.utf8.count > 16_384 { problems["metadata"] = "at most 16 KiB" }
        if let object = document["metadata"], Self.holdsNUL(object) { problems["metadata"] = "no NUL characters (jsonb cannot store them)" }
        guard problems.isEmpty, let sourceID, let sourcePaymentID, let currency, let amountText else {
            throw PaymentErrorMapping.apiError(for: .validation(problems))
        }
        guard sourceID == merchant.code else {
            throw APIError(status: .forbidden, errorCode: "FORBIDDEN", message: "sourceId must be your own source, \(merchant.code)")
        }
        return PaymentRegistration(
            sourceID: sourceID, sourcePaymentID: sourcePaymentID, amountText: amountText, currency: currency,
            provider: provider, description: description, metadata: metadata)
    }

    /// Whether a key or string anywhere in `value` holds U+0000, which `jsonb` refuses.
    private static func holdsNUL(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): text.utf8.contains(0)
        case .array(let items): items.contains(where: holdsNUL)
        case .object(let members): members.contains { $0.0.utf8.contains(0) || holdsNUL($0.1) }
        case .null, .bool, .number: false
        }
    }
}
