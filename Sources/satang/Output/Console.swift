import Foundation

/// Writes command output straight to stdout, unbuffered, so figures appear as they are measured
/// also when stdout is a pipe or a file.
enum Console {
    static func line(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text.utf8.last == UInt8(ascii: "\n") ? text : text + "\n").utf8))
    }
}
