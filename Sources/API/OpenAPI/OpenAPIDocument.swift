/// The OpenAPI 3.1 description of Satang's HTTP API, served at `GET /openapi.yaml`.
/// Kept beside the routes it describes; the test suite validates it and checks every route is in it.
enum OpenAPIDocument {
    static let yaml = core + "\n" + gatewayPaths + directDebitPaths + reportPaths

    private static let core = #"""
openapi: 3.1.0
info:
  title: Satang
  version: "0.1"
  description: >-
    Payments ledger for Thai baht. Every call but health and provider webhooks needs X-API-Key.
    Request signatures (X-Timestamp in ms, X-Signature sha256=hex HMAC-SHA256(secret, timestamp + "." + body))
    are verified when present and required for sources created with --require-signature.
servers:
  - url: http://127.0.0.1:8080
components:
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: X-API-Key}
    apiSecret: {type: apiKey, in: header, name: X-API-Secret, description: "Gateway (seed 001): sent with X-API-Key unless the body is signed"}
  parameters:
    PaymentId: {name: id, in: path, required: true, schema: {type: string, format: uuid}}
    IdempotencyKey:
      name: X-Idempotency-Key
      in: header
      required: true
      description: At most 255 characters; `Idempotency-Key` is accepted too. A retry with the same body returns the stored response with `Idempotent-Replayed` true.
      schema: {type: string, maxLength: 255}
    Timestamp: {name: X-Timestamp, in: header, required: false, schema: {type: string}}
    Signature: {name: X-Signature, in: header, required: false, schema: {type: string, pattern: "^sha256=[0-9a-f]{64}$"}}
  schemas:
    Error:
      type: object
      required: [errorCode, message]
      properties:
        errorCode: {type: string, examples: [VALIDATION_ERROR]}
        message: {type: string}
        fields: {type: string, description: Comma-separated names of the fields that failed validation}
      additionalProperties: {type: string}
    Status:
      type: string
      enum: [NOT_SENT, SUBMITTING, PENDING, SUCCEEDED, FAILED_TECHNICAL, FAILED_BUSINESS, EXPIRED, CANCELED]
    Provider: {type: string, enum: [KBANK, SCB, BBL, KTB]}
    PaymentRequest:
      type: object
      required: [sourceId, sourcePaymentId, amount, currency]
      additionalProperties: false
      properties:
        sourceId: {type: string, description: Your own source (merchant) code}
        sourcePaymentId: {type: string, maxLength: 128}
        amount: {type: number, exclusiveMinimum: 0, description: At most the currency's decimals; read exactly from its text}
        currency: {type: string, pattern: "^[A-Z]{3}$"}
        provider: {$ref: "#/components/schemas/Provider"}
        description: {type: string, maxLength: 255}
        metadata: {type: object}
    Payment:
      type: object
      required: [id, sourcePaymentId, provider, amount, currency, providerStatus, status, expiresAt, createdAt]
      properties:
        id: {type: string, format: uuid}
        sourcePaymentId: {type: string}
        provider: {$ref: "#/components/schemas/Provider"}
        amount: {type: number}
        currency: {type: string}
        providerStatus: {$ref: "#/components/schemas/Status"}
        status: {$ref: "#/components/schemas/Status"}
        description: {type: [string, "null"]}
        metadata: {type: [object, "null"]}
        expiresAt: {type: string, format: date-time}
        createdAt: {type: string, format: date-time}
    PaymentEvent:
      type: object
      properties:
        from: {oneOf: [{$ref: "#/components/schemas/Status"}, {type: "null"}]}
        to: {$ref: "#/components/schemas/Status"}
        actor: {type: string}
        reason: {type: string}
        at: {type: string, format: date-time}
    Receipt:
      type: object
      properties:
        number: {type: string, examples: [RC2026-000001]}
        issuedAt: {type: string, format: date-time}
        seller:
          type: object
          properties:
            name: {type: string}
            address: {type: [string, "null"]}
            taxId: {type: [string, "null"]}
        payer: {type: [string, "null"]}
        description: {type: [string, "null"]}
        paymentId: {type: string, format: uuid}
        provider: {$ref: "#/components/schemas/Provider"}
        currency: {type: string}
        amount: {type: number, description: Total, VAT included}
        base: {type: number}
        vatRate: {type: number}
        vat: {type: number}
    GatewayError:
      type: object
      required: [success, status, code, errorCode, message]
      properties:
        success: {const: false}
        status: {const: error}
        code: {type: integer, description: The HTTP status again (seed 000)}
        errorCode: {type: string, examples: [INVALID_SIGNATURE]}
        message: {type: string, examples: [transactionId already exists, IP not in whitelist, merchantId does not match API key]}
        fields: {type: string}
    DepositRequest:
      type: object
      description: >-
        Seed 001's fields (shown), or seed 000's (merchantId, transactionId, bankAccountNumber, bankName, name,
        amount, callbackUrl, type). Signed by `signature` and `timestamp`, or sent with X-API-Secret.
      properties:
        account_no: {type: string, pattern: "^[0-9]{10,15}$"}
        acc_name: {type: string, minLength: 2, maxLength: 100}
        bank_code: {type: string, description: A code of GET /api/v1/client/banks}
        amount: {type: number, minimum: 1, maximum: 2000000, description: At most 2 decimals}
        callback_url: {type: string, format: uri, description: https}
        signature: {type: string, description: "JWT HS256 over the other fields sorted by key (key: API key), or hex HMAC-SHA256 (key: API secret) over key=value&… sorted by key"}
        timestamp: {type: [number, string], description: Unix seconds or milliseconds, within 5 minutes}
    Deposit:
      type: object
      properties:
        txn_id: {type: string, examples: [DEP1709123456ABC123]}
        status: {type: string, enum: [pending, paid, expired, cancelled, failed]}
        channel: {type: string, enum: [QR, BANK_TRANSFER]}
        amount: {type: number, description: Exactly what the customer must pay (unique among open deposits to the account)}
        requested_amount: {type: number}
        fee: {type: number}
        fee_percent: {type: number}
        net_amount: {type: number}
        expire_date: {type: string, format: date-time}
        qrcode: {type: [string, "null"], description: PromptPay EMVCo payload}
        qrcode_url: {type: [string, "null"], format: uri}
        url: {type: string, format: uri, description: Hosted payment page}
        promptpay_number: {type: [string, "null"]}
        bank_data: {type: object}
        customer_data: {type: object}
        transaction_id: {type: [string, "null"]}
        created_at: {type: string, format: date-time}
        paid_at: {type: [string, "null"], format: date-time}
    Payout:
      type: object
      properties:
        txn_id: {type: string, examples: [PAY1709123456XYZ789]}
        status: {type: string, enum: [pending, processing, completed, failed, cancelled]}
        withdrawal_status: {type: string, enum: [created, waiting, in batch, processing, completed, cancelled, failed]}
        amount: {type: number}
        fee: {type: number}
        fee_percent: {type: number}
        transfer_amount: {type: number, description: amount - fee, what reaches the account}
        customer_data: {type: object}
        agent_order_no: {type: [string, "null"]}
        bank_ref: {type: [string, "null"]}
        failure_reason: {type: [string, "null"]}
        created_at: {type: string, format: date-time}
        completed_at: {type: [string, "null"], format: date-time}
    Mandate:
      type: object
      properties:
        id: {type: string, format: uuid}
        digitalId: {type: string}
        accountNo: {type: string}
        ref1: {type: [string, "null"]}
        ref2: {type: [string, "null"]}
        ref3: {type: [string, "null"]}
        ref4: {type: [string, "null"]}
        status: {type: string, enum: [PENDING_CALLBACK, ACTIVE, REJECTED, FAILED]}
        requestUID: {type: string}
        ddrOapiSeqId: {type: [string, "null"]}
        statusCode: {type: [string, "null"]}
        statusDetail: {type: [string, "null"]}
        submittedAt: {type: string, format: date-time}
        resolvedAt: {type: [string, "null"], format: date-time}
        createdAt: {type: string, format: date-time}
  responses:
    GatewayError:
      description: An error in the gateway envelope
      content:
        application/json:
          schema: {$ref: "#/components/schemas/GatewayError"}
    Error:
      description: An error; `errorCode` says which
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
security:
  - apiKey: []
paths:
  /api/v1/health:
    get:
      summary: Service and database health
      security: []
      responses:
        "200":
          description: Healthy
          content:
            application/json:
              schema:
                type: object
                properties:
                  code: {type: integer}
                  message: {type: string}
                  data:
                    type: object
                    properties:
                      status: {type: string, enum: [healthy, unhealthy]}
                      timestamp: {type: string, format: date-time}
                      uptime: {type: number}
                      database: {type: string}
                      sandbox: {type: boolean}
        "503": {description: The database is unreachable}
  /api/v1/payments:
    post:
      summary: Register a payment
      parameters:
        - $ref: "#/components/parameters/IdempotencyKey"
        - $ref: "#/components/parameters/Timestamp"
        - $ref: "#/components/parameters/Signature"
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/PaymentRequest"}
      responses:
        "202":
          description: Registered (or replayed)
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Payment"}
        "400": {$ref: "#/components/responses/Error"}
        "401": {$ref: "#/components/responses/Error"}
        "403": {$ref: "#/components/responses/Error"}
        "409": {$ref: "#/components/responses/Error"}
        "413": {$ref: "#/components/responses/Error"}
        "422": {$ref: "#/components/responses/Error"}
    get:
      summary: List payments, newest first by default
      parameters:
        - {name: sourceId, in: query, schema: {type: string}}
        - {name: provider, in: query, schema: {$ref: "#/components/schemas/Provider"}}
        - {name: status, in: query, schema: {type: string}}
        - {name: sourcePaymentId, in: query, schema: {type: string}}
        - {name: dateFrom, in: query, schema: {type: string}}
        - {name: dateTo, in: query, schema: {type: string}}
        - {name: sortBy, in: query, schema: {type: string, enum: [createdAt, amount, status, updatedAt, sourcePaymentId, referenceId]}}
        - {name: sortOrder, in: query, schema: {type: string, enum: [asc, desc]}}
        - {name: page, in: query, schema: {type: integer, minimum: 1, default: 1}}
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 20}}
      responses:
        "200":
          description: One page
          content:
            application/json:
              schema:
                type: object
                properties:
                  success: {type: boolean}
                  data:
                    type: object
                    properties:
                      data: {type: array, items: {$ref: "#/components/schemas/Payment"}}
                      total: {type: integer}
                      page: {type: integer}
                      limit: {type: integer}
                      totalPages: {type: integer}
        "400": {$ref: "#/components/responses/Error"}
        "401": {$ref: "#/components/responses/Error"}
        "403": {$ref: "#/components/responses/Error"}
  /api/v1/payments/{id}:
    get:
      summary: One payment (another source's payment is a 404 like a missing one)
      parameters:
        - $ref: "#/components/parameters/PaymentId"
        - {name: sourceId, in: query, schema: {type: string}}
      responses:
        "200":
          description: The payment
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Payment"}
        "404": {$ref: "#/components/responses/Error"}
  /api/v1/payments/{id}/events:
    get:
      summary: The payment's transitions, oldest first
      parameters: [{$ref: "#/components/parameters/PaymentId"}]
      responses:
        "200":
          description: Transitions
          content:
            application/json:
              schema:
                type: object
                properties:
                  paymentId: {type: string, format: uuid}
                  events: {type: array, items: {$ref: "#/components/schemas/PaymentEvent"}}
        "404": {$ref: "#/components/responses/Error"}
  /api/v1/payments/{id}/receipt:
    get:
      summary: The payment's receipt (JSON, or a printable page for Accept text/html)
      parameters: [{$ref: "#/components/parameters/PaymentId"}]
      responses:
        "200":
          description: The receipt
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Receipt"}
            text/html:
              schema: {type: string}
        "404": {$ref: "#/components/responses/Error"}
  /api/v1/exceptions:
    get:
      summary: Reconciliation exceptions of the calling source
      responses:
        "200":
          description: Exceptions, newest first
          content:
            application/json:
              schema:
                type: object
                properties:
                  success: {type: boolean}
                  data:
                    type: array
                    items:
                      type: object
                      properties:
                        id: {type: integer}
                        paymentId: {type: [string, "null"]}
                        kind: {type: string}
                        detail: {type: object}
                        createdAt: {type: string, format: date-time}
  /api/v1/webhooks/providers/{provider}:
    post:
      summary: A provider reports a payment's outcome (signed with the provider's secret)
      security: []
      parameters:
        - {name: provider, in: path, required: true, schema: {$ref: "#/components/schemas/Provider"}}
        - $ref: "#/components/parameters/Timestamp"
        - $ref: "#/components/parameters/Signature"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [eventId, paymentId, status]
              properties:
                eventId: {type: string, maxLength: 128}
                paymentId: {type: string, format: uuid}
                status: {type: string, enum: [SUCCEEDED, FAILED_BUSINESS]}
                reason: {type: string}
                payerName: {type: string}
      responses:
        "200": {description: Processed (or already processed)}
        "401": {$ref: "#/components/responses/Error"}
        "404": {description: Unknown provider or payment}
        "409": {description: The payment is not waiting for the provider yet; retry}
  /openapi.yaml:
    get:
      summary: This document
      security: []
      responses:
        "200": {description: OpenAPI 3.1 YAML}
"""#
}
