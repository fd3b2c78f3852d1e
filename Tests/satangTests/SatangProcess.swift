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
///
/// Drawn below the kernel's ephemeral range (32768–60999): a port from that range (what binding port 0
/// gives) can be taken, before the server binds it, as the local end of any outgoing connection of the
/// tests running alongside, and the server then fails with "Address already in use".
func freeTCPPort() -> Int {
    for _ in 0..<200 {
        let port = Int.random(in: 20_000..<32_768)
        if canBind(port) { return port }
    }
    preconditionFailure("no free TCP port in 20000–32767 after 200 tries")
}

private func canBind(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}
