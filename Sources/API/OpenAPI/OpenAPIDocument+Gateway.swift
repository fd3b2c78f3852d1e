extension OpenAPIDocument {
    /// The gateway's paths (seeds 000 and 001), continuing the `paths` map of the core document.
    static let gatewayPaths = #"""
  /api/v1/client/banks:
    get:
      summary: Banks (seed 001), paged, searchable by code, interbank code or English or Thai name
      security: [{apiKey: [], apiSecret: []}]
      parameters:
        - {name: page, in: query, schema: {type: integer, minimum: 1}}
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 100}}
        - {name: search, in: query, schema: {type: string, maxLength: 100}}
      responses:
        "200":
          description: "{success, data: {data: [{id, bank_name, bank_name_th, bank_code, int_code, bank_logo}], total, page, limit, totalPages}}"
          content:
            application/json:
              schema: {type: object}
        "400": {$ref: "#/components/responses/GatewayError"}
        "401": {$ref: "#/components/responses/GatewayError"}
  /api/v1/banks:
    get:
      summary: Banks in seed 000's shape
      security: [{apiKey: [], apiSecret: []}]
      responses:
        "200":
          description: "{code: 200, message: Success, data: {banks: [{code, name, name_th, active}]}}"
          content:
            application/json:
              schema: {type: object}
  /api/v1/deposit/create:
    post:
      summary: Create a deposit (PromptPay QR or bank transfer); the amount to pay is made unique
      security: [{apiKey: [], apiSecret: []}, {apiKey: []}]
      parameters:
        - {name: X-Idempotency-Key, in: header, required: false, schema: {type: string, maxLength: 255}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/DepositRequest"}
      responses:
        "200":
          description: "{success: true, data: Deposit}; for seed 000's fields {status: success, message: Create Success, data}"
          content:
            application/json:
              schema:
                type: object
                properties:
                  success: {const: true}
                  data: {$ref: "#/components/schemas/Deposit"}
        "400": {$ref: "#/components/responses/GatewayError"}
        "401": {$ref: "#/components/responses/GatewayError"}
        "403": {$ref: "#/components/responses/GatewayError"}
        "422": {$ref: "#/components/responses/GatewayError"}
  /api/v1/deposit/{id}:
    get:
      summary: One of your deposits by txn_id
      security: [{apiKey: [], apiSecret: []}]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: The deposit
          content:
            application/json:
              schema:
                type: object
                properties:
                  success: {const: true}
                  data: {$ref: "#/components/schemas/Deposit"}
        "404": {$ref: "#/components/responses/GatewayError"}
  /api/v1/deposit/status/{id}:
    get:
      summary: Public status of a deposit (status and amount only)
      security: []
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: "{success, data: {txn_id, status, amount, expire_date}}"
          content:
            application/json:
              schema: {type: object}
        "404": {$ref: "#/components/responses/GatewayError"}
  /api/v1/deposit/{id}/qrcode.png:
    get:
      summary: The deposit's PromptPay QR code as a PNG image
      security: []
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: PNG image
          content:
            image/png:
              schema: {type: string, contentEncoding: binary}
        "404": {$ref: "#/components/responses/GatewayError"}
  /api/v1/deposits:
    get:
      summary: Your deposits, newest first, paged
      security: [{apiKey: [], apiSecret: []}]
      parameters:
        - {name: status, in: query, schema: {type: string, enum: [pending, paid, expired, cancelled, failed]}}
        - {name: date_from, in: query, schema: {type: string}}
        - {name: date_to, in: query, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer, minimum: 1}}
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 20}}
      responses:
        "200":
          description: "{success, data: {data: [Deposit], total, page, limit, totalPages}}"
          content:
            application/json:
              schema: {type: object}
        "400": {$ref: "#/components/responses/GatewayError"}
  /api/v1/deposit/{id}/cancel:
    post:
      summary: Cancel a pending deposit (409 otherwise); its amount becomes free again
      security: [{apiKey: [], apiSecret: []}]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: "{success: true, status: success, message: Deposit cancelled successfully, data: Deposit}"
          content:
            application/json:
              schema: {type: object}
        "404": {$ref: "#/components/responses/GatewayError"}
        "409": {$ref: "#/components/responses/GatewayError"}
  /api/v1/sandbox/deposit/{id}/pay:
    post:
      summary: Sandbox only (serve --sandbox) - the simulated bank reports the pending deposit paid
      security: []
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "202": {description: The bank's signed webhook follows}
        "404": {$ref: "#/components/responses/GatewayError"}
        "409": {$ref: "#/components/responses/GatewayError"}
  /api/v1/payout/create:
    post:
      summary: Pay out from the available balance; the amount is reserved at once (422 INSUFFICIENT_BALANCE otherwise)
      security: [{apiKey: [], apiSecret: []}, {apiKey: []}]
      parameters:
        - {name: X-Idempotency-Key, in: header, required: false, schema: {type: string, maxLength: 255}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              description: Seed 001's fields (shown), or seed 000's (agent_order_no, account_no, account_name, bank_code, amount, callback_url)
              properties:
                account_no: {type: string, pattern: "^[0-9]{10,15}$"}
                acc_name: {type: string, minLength: 2, maxLength: 100}
                bank_code: {type: string}
                amount: {type: number, minimum: 1, maximum: 2000000}
                callback_url: {type: string, format: uri}
                signature: {type: string}
                timestamp: {type: [number, string]}
      responses:
        "200":
          description: "{success: true, data: Payout}; for seed 000's fields {code: 200, message: Success, data: {order_no, agent_order_no, amount, fee, transfer_amount, status}}"
          content:
            application/json:
              schema:
                type: object
                properties:
                  success: {const: true}
                  data: {$ref: "#/components/schemas/Payout"}
        "400": {$ref: "#/components/responses/GatewayError"}
        "401": {$ref: "#/components/responses/GatewayError"}
        "403": {$ref: "#/components/responses/GatewayError"}
        "422": {$ref: "#/components/responses/GatewayError"}
  /api/v1/payout/{id}:
    get:
      summary: One of your payouts by txn_id
      security: [{apiKey: [], apiSecret: []}]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: The payout
          content:
            application/json:
              schema:
                type: object
                properties:
                  success: {const: true}
                  data: {$ref: "#/components/schemas/Payout"}
        "404": {$ref: "#/components/responses/GatewayError"}
  /api/v1/payout/status/{id}:
    get:
      summary: Public status of a payout (status and amount only)
      security: []
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: "{success, data: {txn_id, status, amount}}"
          content:
            application/json:
              schema: {type: object}
        "404": {$ref: "#/components/responses/GatewayError"}
  /api/v1/payouts:
    get:
      summary: Your payouts, newest first, paged
      security: [{apiKey: [], apiSecret: []}]
      parameters:
        - {name: status, in: query, schema: {type: string, description: "pending, processing, completed, failed, cancelled, or a withdrawal status"}}
        - {name: date_from, in: query, schema: {type: string}}
        - {name: date_to, in: query, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer, minimum: 1}}
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 20}}
      responses:
        "200":
          description: "{success, data: {data: [Payout], total, page, limit, totalPages}}"
          content:
            application/json:
              schema: {type: object}
        "400": {$ref: "#/components/responses/GatewayError"}
  /api/v1/payout/{id}/cancel:
    post:
      summary: Cancel a payout the bank does not have yet (created or waiting); the amount returns to the balance
      security: [{apiKey: [], apiSecret: []}]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: "{success: true, status: success, message: Payout cancelled successfully, data: Payout}"
          content:
            application/json:
              schema: {type: object}
        "404": {$ref: "#/components/responses/GatewayError"}
        "409": {$ref: "#/components/responses/GatewayError"}
  /api/v1/balance:
    get:
      summary: Available balance and payouts in flight (seed 000)
      security: [{apiKey: [], apiSecret: []}, {apiKey: []}]
      parameters:
        - {name: timestamp, in: query, schema: {type: string}}
        - {name: signature, in: query, schema: {type: string}}
      responses:
        "200":
          description: "{code: 200, message: Success, data: {balance, available, payouts_in_flight, currency}}"
          content:
            application/json:
              schema: {type: object}
  /api/v1/order:
    get:
      summary: A deposit or payout by order_no or agent_order_no (seed 000)
      security: [{apiKey: [], apiSecret: []}, {apiKey: []}]
      parameters:
        - {name: order_no, in: query, schema: {type: string}}
        - {name: agent_order_no, in: query, schema: {type: string}}
        - {name: timestamp, in: query, schema: {type: string}}
        - {name: signature, in: query, schema: {type: string}}
      responses:
        "200":
          description: "{code: 200, message: Success, data: {order_no, agent_order_no, type, status, amount, fee, actual_amount, created_at, completed_at}}"
          content:
            application/json:
              schema: {type: object}
        "400": {$ref: "#/components/responses/GatewayError"}
        "404": {$ref: "#/components/responses/GatewayError"}
  /api/v1/jwt/create:
    post:
      summary: Sign params (sorted by key) as an HS256 JWT with your API key (seed 000)
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [params]
              properties:
                params: {type: object}
                api_key: {type: string, description: Instead of the X-API-Key header}
      responses:
        "200":
          description: "{code: 200, message: Success, data: {signature, algorithm: HS256, payload}}"
          content:
            application/json:
              schema: {type: object}
        "400": {$ref: "#/components/responses/GatewayError"}
        "401": {$ref: "#/components/responses/GatewayError"}
  /pay/{id}:
    get:
      summary: Hosted payment page (amount, QR, receiving account, expiry)
      security: []
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: HTML page
          content:
            text/html:
              schema: {type: string}

"""#
}
