/// Reed–Solomon error correction over GF(2⁸) with QR's field polynomial x⁸+x⁴+x³+x²+1 (§7.5.2).
struct ReedSolomon {
    /// Generator polynomial coefficients, highest degree first, leading 1 dropped.
    private let generator: [UInt8]

    init(degree: Int) {
        // (x − α⁰)(x − α¹)…(x − α^(degree−1)), built up one factor at a time.
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in 0..<degree {
                coefficients[index] = Self.multiply(coefficients[index], root)
                if index + 1 < degree { coefficients[index] ^= coefficients[index + 1] }
            }
            root = Self.multiply(root, 0x02)
        }
        generator = coefficients
    }

    /// The error-correction codewords for `data`: the remainder of data·x^degree divided by the generator.
    func remainder(of data: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for index in result.indices { result[index] ^= Self.multiply(generator[index], factor) }
        }
        return result
    }

    /// Product in GF(2⁸) modulo 0x11D (Russian-peasant multiplication).
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var product = 0
        for bit in stride(from: 7, through: 0, by: -1) {
            product = (product << 1) ^ ((product >> 7) * 0x11D)
            product ^= ((Int(b) >> bit) & 1) * Int(a)
        }
        return UInt8(product)
    }
}
