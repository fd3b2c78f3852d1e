import Ledger

/// The EMVCo merchant-presented QR payload that Thai banking apps read as a PromptPay transfer: the
/// platform's PromptPay id (tag 29), baht (53 = 764), the amount when fixed (54), Thailand (58) and a
/// CRC-16/CCITT-FALSE over everything before it, `6304` included (tag 63).
public struct PromptPayPayload: Sendable, Equatable {
    /// The payload text to put in a QR code.
    public let text: String

    /// A payload for `recipient`; with an `amount` the app fills it in and the code is single-use
    /// ("dynamic", 01 = 12), without one the payer types it ("static", 01 = 11).
    public init(recipient: PromptPayID, amount: Money? = nil) {
        var text = Self.field("00", "01") + Self.field("01", amount == nil ? "11" : "12")
        text += Self.field("29", Self.field("00", "A000000677010111") + Self.field(recipient.subtag, recipient.value))
        text += Self.field("53", "764") + Self.field("58", "TH")
        if let amount { text += Self.field("54", amount.decimalText) }
        text += "6304"
        self.text = text + Self.crcText(text)
    }

    /// Tag, two-digit length, value.
    private static func field(_ tag: String, _ value: String) -> String {
        let length = value.utf8.count
        return tag + (length < 10 ? "0" : "") + "\(length)" + value
    }

    /// CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection) as four upper-case hex digits.
    static func crcText(_ text: String) -> String {
        let hex = String(crc16(Array(text.utf8)), radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - hex.count) + hex
    }

    static func crc16(_ bytes: [UInt8]) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        }
        return crc
    }
}

/// Who a PromptPay transfer goes to: a mobile number, a national or tax id, or an e-wallet id.
public struct PromptPayID: Sendable, Hashable, CustomStringConvertible {
    /// The sub-tag of tag 29: 01 mobile, 02 national/tax id, 03 e-wallet.
    let subtag: String
    /// The value as the payload carries it (a mobile number as 0066 and nine digits, 13 long).
    let value: String
    /// The id as people write it, e.g. `0812223333`.
    public let description: String

    /// Reads `0812223333`, `081-222-3333`, `+66812223333`, a 13-digit id or a 15-digit e-wallet id;
    /// `nil` for anything else.
    public init?(_ text: String) {
        var digits = text.filter { $0 != "-" && $0 != " " }
        if digits.hasPrefix("+66") { digits = "0" + digits.dropFirst(3) }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        switch digits.count {
        case 10 where digits.hasPrefix("0"):
            subtag = "01"
            value = "0066" + digits.dropFirst()
        case 13:
            subtag = "02"
            value = digits
        case 15:
            subtag = "03"
            value = digits
        default:
            return nil
        }
        description = digits
    }
}
