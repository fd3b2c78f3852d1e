extension OpenAPIDocument {
    /// KTB Direct Debit mandates and KTB's registration-result callback, continuing the `paths` map.
    static let directDebitPaths = #"""
  /api/v1/direct-debit/registrations:
    post:
      summary: Register a customer's KTB account for direct debit (a mandate); the result comes by KTB's callback
      parameters:
        - {name: X-Idempotency-Key, in: header, required: true, schema: {type: string, maxLength: 255}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [digitalId, accountNo]
              additionalProperties: false
              properties:
                digitalId: {type: string, maxLength: 64}
                accountNo: {type: string, pattern: "^[0-9]{1,13}$"}
                ref1: {type: string, maxLength: 20}
                ref2: {type: string, maxLength: 20}
                ref3: {type: string, maxLength: 20}
                ref4: {type: string, maxLength: 20}
      responses:
        "202":
          description: Submitted (status PENDING_CALLBACK)
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Mandate"}
        "400": {$ref: "#/components/responses/Error"}
        "422": {description: "KTB refused it (errorCode KTB_<code>, e.g. KTB_CBS001); the mandate is FAILED"}
        "429": {description: "KTB_0429: no new registration for an hour"}
        "502": {description: "KTB's own failure (KTB_9999, KTB_SYS001, KTB_SYS002)"}
        "503": {$ref: "#/components/responses/Error"}
    get:
      summary: Your mandates, newest first
      parameters:
        - {name: status, in: query, schema: {type: string, enum: [PENDING_CALLBACK, ACTIVE, REJECTED, FAILED]}}
        - {name: page, in: query, schema: {type: integer, minimum: 1}}
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
      responses:
        "200":
          description: "{success, data: {data: [Mandate], total, page, limit, totalPages}}"
          content:
            application/json:
              schema: {type: object}
  /api/v1/direct-debit/registrations/{id}:
    get:
      summary: One of your mandates
      parameters: [{name: id, in: path, required: true, schema: {type: string, format: uuid}}]
      responses:
        "200":
          description: The mandate
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Mandate"}
        "404": {$ref: "#/components/responses/Error"}
  /api/v1/direct-debit/registrations/{id}/resubmit:
    post:
      summary: Submit a registration again (new requestUID) when KTB's callback never came within the configured time
      parameters: [{name: id, in: path, required: true, schema: {type: string, format: uuid}}]
      responses:
        "202":
          description: Submitted again
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Mandate"}
        "409": {$ref: "#/components/responses/Error"}
  /api/v1/webhooks/ktb/ddr:
    post:
      summary: KTB's registration-result callback (msg-hdr checked; answered as KTB documents)
      security: []
      parameters:
        - {name: msg-hdr, in: header, required: true, schema: {type: string, description: "JSON: channelId, oapi-client-id, oapi-partner-id, requestUID, requestDateTime, x-api-key"}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                vendorId: {type: string, maxLength: 10}
                companyId: {type: string, maxLength: 15}
                accountNo: {type: string, maxLength: 13}
                applyDtm: {type: string}
                respCode: {type: string, enum: [I0000, I0001]}
                respDesc: {type: string, maxLength: 10}
      responses:
        "200":
          description: "{statusCode: \"0\", statusDesc: Success, requestUID}"
          content:
            application/json:
              schema: {type: object}
        "400": {description: "CMN001-CMN005, BSN001, BSN003, BSN004, BSN006, BSN007"}
        "401": {description: AU00401 (wrong x-api-key or client id)}

"""#
}
