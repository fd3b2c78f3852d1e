import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Payments
import PostgresClient

/// `GET /api/v1/payments/:id/receipt`: the receipt as JSON, or as a printable A4 page for `Accept: text/html`.
struct ReceiptRoutes: Sendable {
    let pool: PostgresPool
    let payments: PaymentRegistry

    func register(on group: RouterGroup<SatangRequestContext>) {
        group.get("payments/:id/receipt") { request, context in try await self.show(request, context) }
    }

    func show(_ request: Request, _ context: SatangRequestContext) async throws -> Response {
        let merchant = try context.authenticatedMerchant()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw PaymentErrorMapping.apiError(for: .notFound)
        }
        let payment = try await PaymentErrorMapping.mapping { try await payments.payment(id, of: merchant) }
        guard let receipt = try await Receipt.find(paymentID: id, merchantID: merchant.id, pool: pool) else {
            throw APIError(status: .notFound, errorCode: "RECEIPT_NOT_ISSUED",
                           message: "a receipt is issued when the payment succeeds; this one is \(payment.status.rawValue)")
        }
        if request.headers[.accept]?.contains("text/html") == true {
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: ReceiptPage.html(receipt))))
        }
        let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let body = JSONValue.object([
            ("number", .string(receipt.number)), ("issuedAt", .string(receipt.issuedAt.formatted(time))),
            ("seller", .object([
                ("name", .string(receipt.sellerName)), ("address", receipt.sellerAddress.map(JSONValue.string) ?? .null),
                ("taxId", receipt.sellerTaxID.map(JSONValue.string) ?? .null),
            ])),
            ("payer", receipt.payer.map(JSONValue.string) ?? .null),
            ("description", receipt.description.map(JSONValue.string) ?? .null),
            ("paymentId", .string(receipt.paymentID.lowercasedText)), ("provider", .string(receipt.provider.rawValue)),
            ("currency", .string(receipt.total.currency.code)), ("amount", .number(receipt.total.decimalText)),
            ("base", .number(receipt.base.decimalText)), ("vatRate", .number("7")), ("vat", .number(receipt.vat.decimalText)),
        ])
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: body.serialized)))
    }
}

/// The printable receipt: one A4 page, no scripts, no external resources.
enum ReceiptPage {
    static func html(_ receipt: Receipt) -> String {
        func escape(_ text: String?) -> String {
            (text ?? "").replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: receipt.issuedAt)
        let date = String(format: "%04d-%02d-%02d %02d:%02d (UTC+7)", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
        let currency = receipt.total.currency.code
        return """
            <!doctype html>
            <html lang="th"><head><meta charset="utf-8"><title>Receipt \(escape(receipt.number))</title>
            <style>
            @page { size: A4; margin: 18mm; }
            body { font-family: "Noto Sans Thai", "Garuda", "Loma", "Noto Sans", sans-serif; color: #111; max-width: 174mm; margin: 0 auto; }
            @media screen { body { padding: 12mm 0; } }
            h1 { font-size: 20pt; margin: 0 0 4mm; } .muted { color: #555; }
            table { width: 100%; border-collapse: collapse; margin-top: 8mm; }
            td, th { padding: 2.5mm 0; border-bottom: 1px solid #ddd; text-align: left; }
            td.amount, th.amount { text-align: right; font-variant-numeric: tabular-nums; }
            tr.total td { font-weight: bold; border-bottom: 2px solid #111; }
            header { display: flex; justify-content: space-between; align-items: flex-start; }
            </style></head><body>
            <header><div><h1>ใบเสร็จรับเงิน / Receipt</h1>
            <div><strong>\(escape(receipt.sellerName))</strong></div>
            <div class="muted">\(escape(receipt.sellerAddress))</div>
            <div class="muted">Tax ID: \(escape(receipt.sellerTaxID ?? "—"))</div></div>
            <div style="text-align:right"><div>No. <strong>\(escape(receipt.number))</strong></div><div class="muted">\(date)</div></div></header>
            <p>Received from: <strong>\(escape(receipt.payer ?? "—"))</strong></p>
            <table>
            <tr><th>Description</th><th class="amount">Amount (\(currency))</th></tr>
            <tr><td>\(escape(receipt.description ?? "Payment"))</td><td class="amount">\(receipt.base.decimalText)</td></tr>
            <tr><td>VAT 7%</td><td class="amount">\(receipt.vat.decimalText)</td></tr>
            <tr class="total"><td>Total (VAT included)</td><td class="amount">\(receipt.total.decimalText)</td></tr>
            </table>
            <p class="muted">Payment \(receipt.paymentID.lowercasedText) via \(escape(receipt.provider.bankName)).</p>
            </body></html>
            """
    }
}
