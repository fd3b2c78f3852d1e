extension QRCode {
    /// The symbol as a PNG image: 1-bit greyscale, `moduleSize` pixels per module, with the 4-module
    /// quiet zone. The image data is stored uncompressed (deflate "stored" blocks): a QR image is small,
    /// and this needs no zlib.
    public func png(moduleSize: Int = 8) -> [UInt8] {
        let side = (size + 8) * moduleSize
        let rowBytes = (side + 7) / 8
        var raw: [UInt8] = []
        raw.reserveCapacity((rowBytes + 1) * side)
        for pixelY in 0..<side {
            raw.append(0)  // filter type: none
            var row = [UInt8](repeating: 0xFF, count: rowBytes)  // white
            let y = pixelY / moduleSize - 4
            if (0..<size).contains(y) {
                for pixelX in 0..<side {
                    let x = pixelX / moduleSize - 4
                    if (0..<size).contains(x), self[x, y] { row[pixelX / 8] &= ~(0x80 >> UInt8(pixelX % 8)) }
                }
            }
            raw.append(contentsOf: row)
        }
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(side))
        header.appendBigEndian(UInt32(side))
        header += [1, 0, 0, 0, 0]  // bit depth 1, greyscale, deflate, adaptive filters, no interlace
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png.appendChunk("IHDR", header)
        png.appendChunk("IDAT", PNGEncoding.zlibStored(raw))
        png.appendChunk("IEND", [])
        return png
    }
}

/// The parts of PNG (RFC 2083) and zlib (RFC 1950/1951) the QR image needs.
enum PNGEncoding {
    /// A zlib stream of stored (uncompressed) deflate blocks of at most 65,535 bytes each.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let length = min(65_535, data.count - start)
            let final: UInt8 = start + length == data.count ? 1 : 0
            out.append(final)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[start..<start + length]
            start += length
        } while start < data.count
        out.appendBigEndian(adler32(data))
        return out
    }

    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    static let crcTable: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        return crc
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        ~data.reduce(UInt32.max) { crcTable[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }
}

extension [UInt8] {
    fileprivate mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    fileprivate mutating func appendChunk(_ type: String, _ data: [UInt8]) {
        appendBigEndian(UInt32(data.count))
        let typed = Array(type.utf8) + data
        append(contentsOf: typed)
        appendBigEndian(PNGEncoding.crc32(typed))
    }
}
