import Foundation
import SatangTestSupport
import Testing

@testable import QRCode

/// QR symbols built from ISO/IEC 18004 and checked against published vectors and an independent reader.
@Suite struct QRCodeTests {
    @Test func reedSolomonMatchesTheWorkedExample() {
        // "HELLO WORLD" at 1-M, the worked example of the standard's tutorials: 16 data codewords, 10 ECC.
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        #expect(ReedSolomon(degree: 10).remainder(of: data) == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    @Test func theSmallestVersionThatHoldsTheBytesIsChosen() throws {
        // Byte-mode capacities at level M: 14, 26, 42, 62 bytes for versions 1–4; 17 at 1-L; 7 at 1-H.
        for (count, version) in [(1, 1), (14, 1), (15, 2), (26, 2), (27, 3), (42, 3), (43, 4), (62, 4), (63, 5)] {
            #expect(try QRCode(bytes: Array(repeating: 0x41, count: count)).version == version, "\(count) bytes")
        }
        #expect(try QRCode(bytes: Array(repeating: 0x41, count: 17), errorCorrection: .low).version == 1)
        #expect(try QRCode(bytes: Array(repeating: 0x41, count: 8), errorCorrection: .high).version == 2)
        #expect(throws: QRCodeError.tooLong(bytes: 2400)) { try QRCode(bytes: Array(repeating: 0, count: 2400)) }
    }

    @Test func functionPatternsAreWhereReadersLook() throws {
        let code = try QRCode(text: String(repeating: "x", count: 150))  // version 8: alignment and version blocks
        #expect(code.size == code.version * 4 + 17)
        for (x0, y0) in [(0, 0), (code.size - 7, 0), (0, code.size - 7)] {
            for offset in 0..<7 {
                #expect(code[x0 + offset, y0] && code[x0, y0 + offset] && code[x0 + 6, y0 + offset], "finder ring")
            }
            #expect(code[x0 + 3, y0 + 3] && !code[x0 + 1, y0 + 1], "finder centre and gap")
        }
        for index in 8..<(code.size - 8) { #expect(code[index, 6] == (index % 2 == 0), "timing") }
        #expect(code[8, code.size - 8], "the dark module")
    }

    @Test func pngChecksumsFollowTheirSpecifications() {
        #expect(PNGEncoding.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNGEncoding.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        let png = (try? QRCode(text: "hello"))?.png() ?? []
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    /// Every level and a spread of versions, read back by zbar (`zbarimg`, Debian package zbar-tools,
    /// which the README's test command installs).
    @Test(arguments: ErrorCorrectionLevel.allCases)
    func zbarReadsBackTheExactText(_ level: ErrorCorrectionLevel) throws {
        let samples = [
            "00020101021129370016A0000006770101110113006681222333353037645802TH63041DCF",
            "00020101021229370016A0000006770101110113006681222333353037645802TH540530.0063043CAD",
            "A", String(repeating: "0123456789", count: 6),
            (0..<180).map { String(UnicodeScalar(UInt8(33 + $0 % 90))) }.joined(),
            String(repeating: "satang ", count: 60),
        ]
        for text in samples {
            let code = try QRCode(text: text, errorCorrection: level)
            let read = try ZBar.read(png: code.png(moduleSize: 4))
            #expect(read == text, "version \(code.version)-\(level), mask \(code.mask)")
        }
    }

    @Test(arguments: 0..<8)
    func zbarReadsEveryMaskPattern(_ mask: Int) throws {
        for level in ErrorCorrectionLevel.allCases {
            for text in ["PromptPay", String(repeating: "0812223333", count: 9)] {
                let code = try QRCode(bytes: Array(text.utf8), errorCorrection: level, masks: mask..<mask + 1)
                #expect(try ZBar.read(png: code.png(moduleSize: 3)) == text, "version \(code.version)-\(level), mask \(mask)")
            }
        }
    }
}
