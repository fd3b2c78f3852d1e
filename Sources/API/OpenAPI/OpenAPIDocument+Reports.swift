extension OpenAPIDocument {
    /// Accountants' reports, continuing the `paths` map.
    static let reportPaths = #"""
  /api/v1/reports/trial-balance:
    get:
      summary: Trial balance of one book or all (accountant key), or of the caller's own book (merchant key), as of a moment
      parameters:
        - {name: book, in: query, schema: {type: string}}
        - {name: as_of, in: query, schema: {type: string, description: "ISO 8601, or a date (the end of that Bangkok day)"}}
        - {name: format, in: query, schema: {type: string, enum: [json, csv]}}
      responses:
        "200":
          description: "{asOf, lines: [{book, account, type, currency, debits, credits, balance}], totals} or the same as CSV"
          content:
            application/json:
              schema: {type: object}
            text/csv:
              schema: {type: string}
        "403": {$ref: "#/components/responses/Error"}
        "404": {$ref: "#/components/responses/Error"}
  /api/v1/reports/statement:
    get:
      summary: An account's statement for [from, to) - opening balance, entries with running balance, closing balance - paged by cursor
      parameters:
        - {name: book, in: query, schema: {type: string}}
        - {name: account, in: query, required: true, schema: {type: string, examples: ["merchant:available"]}}
        - {name: from, in: query, schema: {type: string}}
        - {name: to, in: query, schema: {type: string}}
        - {name: cursor, in: query, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 1000, default: 100}}
        - {name: format, in: query, schema: {type: string, enum: [json, csv]}}
      responses:
        "200":
          description: "{account, currency, from, to, openingBalance, lines, closingBalance, nextCursor} or the same as CSV"
          content:
            application/json:
              schema: {type: object}
            text/csv:
              schema: {type: string}
        "400": {$ref: "#/components/responses/Error"}
        "403": {$ref: "#/components/responses/Error"}
        "404": {$ref: "#/components/responses/Error"}
  /api/v1/reports/{name}:
    get:
      summary: balance-summary, fees, daily-volume, receipts (register with VAT totals; gaps and reused numbers as problems) or exceptions
      parameters:
        - {name: name, in: path, required: true, schema: {type: string, enum: [balance-summary, fees, daily-volume, receipts, exceptions]}}
        - {name: book, in: query, schema: {type: string, description: A merchant code; a merchant key always reads its own}}
        - {name: from, in: query, schema: {type: string}}
        - {name: to, in: query, schema: {type: string, description: exclusive}}
        - {name: period, in: query, schema: {type: string, enum: [day, month]}}
        - {name: format, in: query, schema: {type: string, enum: [json, csv]}}
      responses:
        "200":
          description: "{report, from, to, columns, rows, summary, problems}, or CSV with a TOTAL row and PROBLEM rows"
          content:
            application/json:
              schema: {type: object}
            text/csv:
              schema: {type: string}
        "400": {$ref: "#/components/responses/Error"}
        "403": {$ref: "#/components/responses/Error"}
        "404": {$ref: "#/components/responses/Error"}

"""#
}
