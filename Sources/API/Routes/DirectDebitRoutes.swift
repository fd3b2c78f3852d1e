import Foundation
import HTTPTypes
import Hummingbird
import Payments

/// KTB Direct Debit mandates for merchants: register (idempotency key required, as for payments), read,
/// list, and submit again when KTB's callback never came.
struct DirectDebitRoutes: Sendable {
    let mandates: MandateRegistry

    func register(on group: RouterGroup<SatangRequestContext>) {
        group.post("direct-debit/registrations") { request, context in try await self.create(request, context) }
        group.get("direct-debit/registrations") { request, context in
            let merchant = try context.authenticatedMerchant()
            var problems: [String: String] = [:]
            let page = request.uri.queryParameters.get("page").map { Int($0) ?? 0 } ?? 1
            let limit = request.uri.queryParameters.get("limit").map { Int($0) ?? 0 } ?? 20
            if !(1...1_000_000).contains(page) { problems["page"] = "a whole number from 1" }
            if !(1...100).contains(limit) { problems["limit"] = "a whole number from 1 to 100" }
            var status: MandateStatus?
            if let word = request.uri.queryParameters.get("status") {
                status = MandateStatus(rawValue: word.uppercased())
                if status == nil { problems["status"] = "one of " + MandateStatus.allCases.map(\.rawValue).joined(separator: ", ") }
            }
            guard problems.isEmpty else { throw PaymentErrorMapping.apiError(for: .validation(problems)) }
            let (found, total) = try await mandates.list(of: merchant, status: status, page: page, limit: limit)
            return JSONBody.response(status: .ok, [
                ("success", .bool(true)),
                ("data", .object([
                    ("data", .array(found.map(Self.json))), ("total", .number("\(total)")), ("page", .number("\(page)")),
                    ("limit", .number("\(limit)")), ("totalPages", .number("\((total + limit - 1) / limit)")),
                ])),
            ])
        }
        group.get("direct-debit/registrations/:id") { _, context in
            let merchant = try context.authenticatedMerchant()
            let mandate = try await Self.mapping { try await mandates.mandate(try Self.id(context), of: merchant) }
            return JSONBody.response(status: .ok, Self.members(mandate))
        }
        group.post("direct-debit/registrations/:id/resubmit") { _, context in
            let merchant = try context.authenticatedMerchant()
            let submission = try await Self.mapping { try await mandates.resubmit(try Self.id(context), of: merchant) }
            let stored = Self.render(submission)
            return PaymentRoutes.response(stored, replayed: nil)
        }
    }

    func create(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        let merchant = try context.authenticatedMerchant()
        guard let key = request.headers[PaymentRoutes.idempotencyKey] ?? request.headers[PaymentRoutes.standardIdempotencyKey],
            !key.isEmpty, key.count <= 255
        else {
            throw APIError(status: .badRequest, errorCode: "VALIDATION_ERROR",
                           message: "X-Idempotency-Key (1 to 255 characters) is required on POST /api/v1/direct-debit/registrations",
                           details: ["field": "X-Idempotency-Key"])
        }
        guard case .object(let members)? = try? JSONParser.parse(context.rawBody) else {
            throw PaymentErrorMapping.apiError(for: .validation(["body": "a JSON object"]))
        }
        let body = JSONValue.object(members)
        var problems: [String: String] = [:]
        for (name, _) in members where !["digitalId", "accountNo", "ref1", "ref2", "ref3", "ref4"].contains(name) {
            problems[name] = "unknown field"
        }
        func text(_ name: String, required: Bool) -> String? {
            switch body[name] {
            case .string(let value)?: return value
            case nil, .null?:
                if required { problems[name] = "required" }
                return nil
            default:
                problems[name] = "must be a string"
                return nil
            }
        }
        let digitalID = text("digitalId", required: true), accountNo = text("accountNo", required: true)
        let references = (1...4).map { text("ref\($0)", required: false) }
        guard problems.isEmpty, let digitalID, let accountNo else { throw PaymentErrorMapping.apiError(for: .validation(problems)) }
        let registration = KTBRegistration(digitalID: digitalID, accountNo: accountNo, references: references)
        let idempotency = IdempotentRequest(key: key, method: "POST", path: "/api/v1/direct-debit/registrations", body: context.rawBody)
        let outcome = try await Self.mapping {
            try await mandates.register(registration, by: merchant, idempotency: idempotency, render: Self.render)
        }
        switch outcome {
        case .created(_, let stored): return PaymentRoutes.response(stored, replayed: false)
        case .replayed(let stored): return PaymentRoutes.response(stored, replayed: true)
        }
    }

    /// 202 when KTB took it (or did not answer: it waits for the callback); KTB's refusals keep their code:
    /// 429 for `0429` (no new registration for an hour), 502 for KTB's own failures, 422 otherwise.
    static func render(_ submission: MandateSubmission) -> StoredResponse {
        var members = members(submission.mandate)
        let status: Int
        switch submission {
        case .accepted: status = 202
        case .unanswered(_, let detail):
            status = 202
            members.append(("warning", .string(detail)))
        case .refused(_, let code):
            status = code == .requestLimitExceeded ? 429 : code.isTransient ? 502 : 422
            let text = submission.mandate.statusDetail ?? code.bankDescription
            let message = code == .requestLimitExceeded
                ? "KTB accepts no new registration for an hour (0429: \(text)); Satang did not retry"
                : "KTB refused the registration: KTB \(code.rawValue): \(text)"
            members = [("errorCode", .string("KTB_\(code.rawValue)")), ("message", .string(message))] + members
        }
        return StoredResponse(status: status, body: Array(JSONValue.object(members).serialized.utf8))
    }

    static func members(_ mandate: Mandate) -> [(String, JSONValue)] {
        let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        var members: [(String, JSONValue)] = [
            ("id", .string(mandate.id.lowercasedText)), ("digitalId", .string(mandate.digitalID)),
            ("accountNo", .string(mandate.accountNo)),
        ]
        for (index, reference) in mandate.references.enumerated() { members.append(("ref\(index + 1)", optional(reference))) }
        members += [
            ("status", .string(mandate.status.rawValue)), ("requestUID", .string(mandate.requestUID)),
            ("ddrOapiSeqId", optional(mandate.ddrOapiSeqId)), ("statusCode", optional(mandate.statusCode)),
            ("statusDetail", optional(mandate.statusDetail)), ("submittedAt", .string(mandate.submittedAt.formatted(time))),
            ("resolvedAt", mandate.resolvedAt.map { .string($0.formatted(time)) } ?? .null),
            ("createdAt", .string(mandate.createdAt.formatted(time))),
        ]
        return members
    }

    static func json(_ mandate: Mandate) -> JSONValue { .object(members(mandate)) }

    static func id(_ context: SatangRequestContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw MandateError.notFound }
        return id
    }

    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await PaymentErrorMapping.mapping(body)
        } catch let error as MandateError {
            switch error {
            case .validation(let problems): throw PaymentErrorMapping.apiError(for: .validation(problems))
            case .notFound: throw APIError(status: .notFound, errorCode: "REGISTRATION_NOT_FOUND", message: error.description)
            case .notConfigured: throw APIError(status: .serviceUnavailable, errorCode: "KTB_NOT_CONFIGURED", message: error.description)
            case .notResubmittable: throw APIError(status: .conflict, errorCode: "REGISTRATION_NOT_RESUBMITTABLE", message: error.description)
            }
        }
    }
}

/// `POST /api/v1/webhooks/ktb/ddr`: KTB's registration-result callback, answered as seed 004 documents.
struct KTBWebhookRoutes: Sendable {
    let callbacks: RegistrationCallback?

    func register(on group: RouterGroup<SatangRequestContext>) {
        group.post("webhooks/ktb/ddr") { request, context in
            var request = request
            let body = Array(buffer: try await request.collectBody(upTo: 65_536))
            guard let callbacks else {
                return JSONBody.response(status: .serviceUnavailable, [
                    ("statusCode", .string("SYS002")), ("statusDesc", .string("Adapter General Error.")), ("requestUID", .string("")),
                ])
            }
            let answer = await callbacks.handle(messageHeader: request.headers[HTTPField.Name("msg-hdr")!], body: body)
            return JSONBody.response(status: HTTPResponse.Status(code: answer.httpStatus), [
                ("statusCode", .string(answer.statusCode)), ("statusDesc", .string(answer.statusDesc)),
                ("requestUID", .string(answer.requestUID)),
            ])
        }
    }
}
