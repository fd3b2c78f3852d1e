import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import NIOCore
import Payments
import QRCode

/// What a paying customer reaches without credentials: a deposit's or payout's status (status and amount only),
/// its PromptPay QR as a PNG, and the hosted payment page with amount, QR and expiry.
struct PublicDepositRoutes: Sendable {
    let deposits: DepositRegistry
    let payouts: PayoutRegistry
    /// Whether the simulated bank runs: the payment page then offers to pay in the sandbox.
    var sandbox = false

    func register(api: RouterGroup<SatangRequestContext>, root: Router<SatangRequestContext>) {
        api.get("deposit/status/:id") { _, context in
            let deposit = try await self.find(context)
            return JSONBody.response(status: .ok, [("success", .bool(true)), ("data", DepositRepresentation.publicStatus(deposit))])
        }
        api.get("payout/status/:id") { _, context in
            let reference = context.parameters.get("id") ?? ""
            let payout = try await GatewayErrors.mapping { try await payouts.publicPayout(String(reference.prefix(32))) }
            return JSONBody.response(status: .ok, [("success", .bool(true)), ("data", PayoutRepresentation.publicStatus(payout))])
        }
        api.get("deposit/:id/qrcode.png") { _, context in
            let deposit = try await self.find(context)
            guard let payload = deposit.promptPayPayload else {
                throw APIError(status: .notFound, errorCode: "NO_QR_CODE",
                               message: "this deposit's receiving account has no PromptPay id; pay by bank transfer", gatewayEnvelope: true)
            }
            let png = try QRCode(text: payload, errorCorrection: .medium).png(moduleSize: 8)
            return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "private, max-age=300"],
                            body: .init(byteBuffer: ByteBuffer(bytes: png)))
        }
        root.get("pay/:id") { _, context in
            let deposit = try await self.find(context)
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: try PaymentPage.html(deposit, sandbox: sandbox))))
        }
    }

    /// Sandbox only: `POST /api/v1/sandbox/deposit/:id/pay` makes the simulated bank report the deposit
    /// paid (through its signed webhook, the real path), and the payment page offers it as a button.
    func registerSandbox(api: RouterGroup<SatangRequestContext>, sandbox: SandboxProvider) {
        api.post("sandbox/deposit/:id/pay") { _, context in
            let deposit = try await self.find(context)
            guard deposit.status == .pending else {
                throw APIError(status: .conflict, errorCode: "DEPOSIT_NOT_PENDING",
                               message: "only a pending deposit can be paid; this one is \(deposit.status.gatewayWord)", gatewayEnvelope: true)
            }
            sandbox.payDeposit(paymentID: deposit.paymentID, provider: deposit.receivingAccount.bank)
            return JSONBody.response(status: .accepted, [
                ("success", .bool(true)), ("message", .string("sandbox: the bank will report this deposit paid in a moment")),
            ])
        }
    }

    private func find(_ context: SatangRequestContext) async throws -> Deposit {
        let reference = context.parameters.get("id") ?? ""
        guard reference.utf8.count <= 32 else { throw GatewayErrors.apiError(for: DepositError.notFound) }
        return try await GatewayErrors.mapping { try await deposits.publicDeposit(reference) }
    }
}

/// The hosted payment page: amount to pay to the satang, the QR, the receiving account and the expiry.
enum PaymentPage {
    static func html(_ deposit: Deposit, sandbox: Bool) throws -> String {
        let bangkok = TimeZone(identifier: "Asia/Bangkok")!
        var style = Date.FormatStyle(date: .abbreviated, time: .shortened)
        style.timeZone = bangkok
        let expiry = deposit.expiresAt.formatted(style)
        let qr = try deposit.promptPayPayload.map { try QRCode(text: $0).svg(moduleSize: 6) }
        let account = deposit.receivingAccount
        let status = deposit.status.gatewayWord
        return """
            <!doctype html>
            <html lang="th"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Pay \(deposit.amount.decimalText) THB — \(escape(deposit.reference))</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#222}
            .amount{font-size:2.2rem;font-weight:700;margin:.2rem 0}.muted{color:#666}.qr svg{width:100%;height:auto;max-width:20rem}
            .status{display:inline-block;padding:.1rem .6rem;border-radius:1rem;background:#eee}
            dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem}dt{color:#666}
            </style></head><body>
            <h1>ชำระเงิน / Pay</h1>
            <p class="muted">Reference \(escape(deposit.reference)) · <span class="status">\(escape(status))</span></p>
            <p class="amount">฿\(deposit.amount.decimalText)</p>
            <p>Pay <strong>exactly \(deposit.amount.decimalText) THB</strong>, to the satang: the amount identifies your payment.</p>
            \(status == "pending" ? (qr.map { "<div class=\"qr\">\($0)</div><p class=\"muted\">Scan with any Thai banking app (PromptPay).</p>" } ?? "") : "")
            <dl>
            <dt>Bank</dt><dd>\(escape(account.bank.rawValue))</dd>
            <dt>Account</dt><dd>\(escape(account.accountNo))</dd>
            <dt>Name</dt><dd>\(escape(account.accountName))</dd>
            <dt>Expires</dt><dd>\(escape(expiry)) (Bangkok time)</dd>
            </dl>
            \(sandbox && status == "pending" ? """
                <form method="post" action="/api/v1/sandbox/deposit/\(escape(deposit.reference))/pay">
                <button type="submit">Pay now (sandbox bank)</button></form>
                """ : "")
            </body></html>
            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
