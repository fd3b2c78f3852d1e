extension Sequence<UInt8> {
    /// The bytes as lower-case hex digits, two per byte (MACs, hashes, bytea literals); written directly,
    /// because `String(format: "%02x")` per byte costs more than the MAC it prints.
    public var lowercaseHex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
