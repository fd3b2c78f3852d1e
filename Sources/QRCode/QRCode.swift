/// A QR code symbol (ISO/IEC 18004:2015, model 2) holding bytes in byte mode: the square of dark and
/// light modules, ready to be drawn. Written for PromptPay payloads, and general enough for any
/// byte string a version-40 symbol can carry.
public struct QRCode: Sendable, Equatable {
    /// 1…40; the symbol is `4 × version + 17` modules on a side.
    public let version: Int
    public let errorCorrection: ErrorCorrectionLevel
    /// The mask pattern (0…7) chosen for the lowest penalty.
    public let mask: Int
    /// Modules on a side, without the quiet zone.
    public var size: Int { version * 4 + 17 }
    private let modules: [Bool]

    /// Whether the module at column `x`, row `y` is dark.
    public subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// The smallest symbol that holds `bytes` at `errorCorrection`.
    public init(bytes: [UInt8], errorCorrection: ErrorCorrectionLevel = .medium) throws(QRCodeError) {
        try self.init(bytes: bytes, errorCorrection: errorCorrection, masks: 0..<8)
    }

    /// `masks` narrows the choice; tests use it to read every mask pattern back.
    init(bytes: [UInt8], errorCorrection: ErrorCorrectionLevel, masks: Range<Int>) throws(QRCodeError) {
        guard let version = (1...40).first(where: { Self.dataBitsNeeded(bytes.count, version: $0) <= Self.dataCodewords($0, errorCorrection) * 8 })
        else { throw .tooLong(bytes: bytes.count) }
        let codewords = Self.interleavedCodewords(Self.dataCodewords(bytes, version: version, level: errorCorrection),
                                                  version: version, level: errorCorrection)
        var layout = SymbolLayout(version: version)
        layout.placeData(codewords)
        var best: (mask: Int, penalty: Int, modules: [Bool])?
        for mask in masks {
            var candidate = layout
            candidate.apply(mask: mask)
            candidate.drawFormatBits(level: errorCorrection, mask: mask)
            let penalty = MaskPenalty.score(candidate.modules, size: candidate.size)
            if best == nil || penalty < best!.penalty { best = (mask, penalty, candidate.modules) }
        }
        self.version = version
        self.errorCorrection = errorCorrection
        self.mask = best!.mask
        self.modules = best!.modules
    }

    /// Convenience for text: its UTF-8 bytes.
    public init(text: String, errorCorrection: ErrorCorrectionLevel = .medium) throws(QRCodeError) {
        try self.init(bytes: Array(text.utf8), errorCorrection: errorCorrection)
    }

    // MARK: Codewords (§7.4 data encoding, §7.5–7.6 error correction and interleaving)

    /// Mode indicator, character count and data, in bits (§7.4.3; the count is 8 bits up to version 9).
    private static func dataBitsNeeded(_ count: Int, version: Int) -> Int {
        let countBits = version < 10 ? 8 : 16
        guard count < 1 << countBits else { return .max }
        return 4 + countBits + count * 8
    }

    /// Modules left for codewords once the function patterns are placed.
    static func rawDataModules(_ version: Int) -> Int {
        var modules = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            modules -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { modules -= 36 }  // two version-information blocks
        }
        return modules
    }

    private static func dataCodewords(_ version: Int, _ level: ErrorCorrectionLevel) -> Int {
        rawDataModules(version) / 8 - level.eccCodewordsPerBlock(version: version) * level.blockCount(version: version)
    }

    /// Byte-mode segment, terminator, bit padding and the alternating pad codewords 0xEC 0x11.
    private static func dataCodewords(_ bytes: [UInt8], version: Int, level: ErrorCorrectionLevel) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: version < 10 ? 8 : 16)
        for byte in bytes { bits.append(Int(byte), count: 8) }
        let capacity = dataCodewords(version, level) * 8
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < capacity / 8 {
            codewords.append(pad)
            pad ^= 0xEC ^ 0x11
        }
        return codewords
    }

    /// Splits data into blocks, adds each block's error correction, and interleaves them column by column.
    private static func interleavedCodewords(_ data: [UInt8], version: Int, level: ErrorCorrectionLevel) -> [UInt8] {
        let blockCount = level.blockCount(version: version)
        let eccLength = level.eccCodewordsPerBlock(version: version)
        let rawCodewords = rawDataModules(version) / 8
        let shortBlocks = blockCount - rawCodewords % blockCount
        let shortDataLength = rawCodewords / blockCount - eccLength
        let encoder = ReedSolomon(degree: eccLength)
        var dataBlocks: [[UInt8]] = []
        var eccBlocks: [[UInt8]] = []
        var start = 0
        for block in 0..<blockCount {
            let length = shortDataLength + (block < shortBlocks ? 0 : 1)
            let slice = Array(data[start..<start + length])
            start += length
            dataBlocks.append(slice)
            eccBlocks.append(encoder.remainder(of: slice))
        }
        var result: [UInt8] = []
        result.reserveCapacity(rawCodewords)
        for column in 0...shortDataLength {
            for block in dataBlocks where column < block.count { result.append(block[column]) }
        }
        for column in 0..<eccLength {
            for block in eccBlocks { result.append(block[column]) }
        }
        return result
    }
}

/// Why no symbol could be made.
public enum QRCodeError: Error, Equatable {
    /// More bytes than a version-40 symbol holds at the chosen level.
    case tooLong(bytes: Int)
}

/// Bits appended most significant first, read back as bytes.
struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
    }

    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<min(start + 8, bits.count)].enumerated().reduce(UInt8(0)) { $0 | ($1.element ? 0x80 >> $1.offset : 0) }
        }
    }
}
