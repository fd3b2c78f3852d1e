import Foundation
import PostgresClient

/// Runs PostgreSQL's own `pgbench` against the same server, as the baseline a benchmark is measured against.
struct PgBench {
    let executable: String
    /// A libpq conninfo string naming the benchmark database.
    let conninfo: String

    static func locate(conninfo: String) throws -> PgBench {
        let binaries = try PostgresBinaries.locate()
        let path = binaries.path("pgbench")
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchError("pgbench is not installed next to \(binaries.directory.path); install postgresql-contrib")
        }
        return PgBench(executable: path, conninfo: conninfo)
    }

    /// `pgbench -i`: creates and fills pgbench's tables at `scale` (100,000 accounts per unit).
    func initialise(scale: Int) throws {
        _ = try run(["-i", "-q", "-s", String(scale), "--no-vacuum", conninfo])
        _ = try run(["-n", "-t", "1", "-c", "1", "-f", "/dev/null", conninfo], allowFailure: true)
    }

    /// Runs `pgbench` with `arguments` for `seconds` at `clients`, returning its transactions per second.
    func tps(_ arguments: [String], clients: Int, seconds: Int) throws -> Double {
        let threads = min(clients, ProcessInfo.processInfo.activeProcessorCount)
        let output = try run(arguments + ["-n", "-c", String(clients), "-j", String(threads), "-T", String(seconds), conninfo])
        for line in output.split(separator: "\n") where line.hasPrefix("tps = ") {
            let number = line.dropFirst("tps = ".count).prefix { $0.isNumber || $0 == "." }
            if let value = Double(number) { return value }
        }
        throw BenchError("pgbench printed no tps line:\n\(output)")
    }

    private func run(_ arguments: [String], allowFailure: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("satang-pgbench-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let handle = try FileHandle(forWritingTo: outputURL)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let output = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        if process.terminationStatus != 0 && !allowFailure {
            throw BenchError("pgbench \(arguments.joined(separator: " ")) failed:\n\(output)")
        }
        return output
    }
}

/// A benchmark could not run; the message says what to fix.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
