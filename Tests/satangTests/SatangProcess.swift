import Foundation
import SatangTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The built `satang` executable, run as a child process the way an operator runs it.
struct SatangProcess {
    let process: Process
    let outputURL: URL

    /// `.build/<configuration>/satang`, beside the test bundle.
    static var executable: URL {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("satang")
    }

    /// Starts `satang` with `arguments`, its output going to a file the test can read.
    static func start(
        _ arguments: [String], environment: [String: String] = [:], workingDirectory: URL = packageRoot
    ) throws -> SatangProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = workingDirectory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        for key in ["PGHOST", "PGPORT", "PGDATABASE", "PGSERVICE", "PGHOSTADDR"] { env.removeValue(forKey: key) }
        env["SATANG_MIGRATIONS_DIR"] = packageRoot.appendingPathComponent("sql/migrations").path
        env.merge(environment) { _, new in new }
        process.environment = env
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("satang-out-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: outputURL)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return SatangProcess(process: process, outputURL: outputURL)
    }

    /// Runs `satang` to completion and returns its exit status and output.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> (Int32, String) {
        let child = try start(arguments, environment: environment)
        let status = await child.waitForExit(timeout: .seconds(120))
        return (status ?? -1, child.output)
    }

    var output: String { (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// The exit status, or `nil` if the process is still running after `timeout` (it is then killed).
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                return nil
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        try? FileManager.default.removeItem(at: outputURL.appendingPathExtension("keep"))
        return process.terminationStatus
    }
}

/// A TCP port nothing listens on, for a server under test.
func freeTCPPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
