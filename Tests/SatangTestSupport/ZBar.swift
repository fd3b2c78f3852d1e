import Foundation
import Testing

/// Reads a QR code image back with zbar (`zbarimg`, Debian package zbar-tools, which the README's test
/// command installs): an independent reader, so a test does not check Satang's QR code with Satang's code.
public enum ZBar {
    /// The decoded text, or `nil` when nothing was read; a missing zbarimg is recorded as a test failure.
    public static func read(png: [UInt8]) throws -> String? {
        let program = "/usr/bin/zbarimg"
        guard FileManager.default.isExecutableFile(atPath: program) else {
            Issue.record("zbarimg is not installed (Debian package zbar-tools); the README's test command installs it")
            return nil
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).png")
        try Data(png).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["--raw", "--quiet", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
