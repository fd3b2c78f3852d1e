import HTTPTypes
import Payments

/// The one place gateway errors become HTTP statuses, errorCodes and seed 000's messages.
enum GatewayErrors {
    static func validation(_ problems: [String: String]) -> APIError {
        var details = problems.reduce(into: [String: String]()) { $0["field.\($1.key)"] = $1.value }
        details["fields"] = problems.keys.sorted().joined(separator: ",")
        return APIError(status: .badRequest, errorCode: "VALIDATION_ERROR", message: ValidationProblems.text(problems), details: details,
                        gatewayEnvelope: true)
    }

    static func apiError(for error: DepositError) -> APIError {
        switch error {
        case .validation(let problems): return validation(problems)
        case .duplicateReference:
            return APIError(status: .badRequest, errorCode: "DUPLICATE_TRANSACTION", message: "transactionId already exists",
                            gatewayEnvelope: true)
        case .noReceivingAccount:
            return APIError(status: .unprocessableContent, errorCode: "NO_RECEIVING_ACCOUNT", message: error.description, gatewayEnvelope: true)
        case .noUniqueAmount:
            return APIError(status: .serviceUnavailable, errorCode: "NO_UNIQUE_AMOUNT", message: error.description, gatewayEnvelope: true)
        case .notFound:
            return APIError(status: .notFound, errorCode: "DEPOSIT_NOT_FOUND", message: "no such deposit", gatewayEnvelope: true)
        case .notCancellable:
            return APIError(status: .conflict, errorCode: "DEPOSIT_NOT_CANCELLABLE", message: error.description, gatewayEnvelope: true)
        }
    }

    static func apiError(for error: PayoutError) -> APIError {
        switch error {
        case .validation(let problems): return validation(problems)
        case .insufficientBalance:
            return APIError(status: .unprocessableContent, errorCode: "INSUFFICIENT_BALANCE", message: error.description, gatewayEnvelope: true)
        case .duplicateReference:
            return APIError(status: .badRequest, errorCode: "DUPLICATE_TRANSACTION", message: "agent_order_no already exists",
                            gatewayEnvelope: true)
        case .noProvider:
            return APIError(status: .unprocessableContent, errorCode: "NO_PAYOUT_PROVIDER", message: error.description, gatewayEnvelope: true)
        case .notFound:
            return APIError(status: .notFound, errorCode: "PAYOUT_NOT_FOUND", message: "no such payout", gatewayEnvelope: true)
        case .notCancellable:
            return APIError(status: .conflict, errorCode: "PAYOUT_NOT_CANCELLABLE", message: error.description, gatewayEnvelope: true)
        }
    }

    /// Runs `body`, turning domain errors into gateway API errors.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DepositError {
            throw apiError(for: error)
        } catch let error as PayoutError {
            throw apiError(for: error)
        } catch let error as PaymentError {
            throw PaymentErrorMapping.apiError(for: error).inGatewayEnvelope
        }
    }
}
