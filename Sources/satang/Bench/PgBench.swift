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
        _ = try run(["-i", "-q", "-s", String(scale), conninfo])
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

    private func run(_ arguments: [String]) throws -> String {
        try ChildProcess.currentUser.run(executable, arguments)
    }
}

/// A benchmark could not run; the message says what to fix.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
