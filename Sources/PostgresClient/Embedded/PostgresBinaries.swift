import Foundation

/// Where PostgreSQL's server programs (`initdb`, `pg_ctl`, `pgbench`) are on this machine.
///
/// Debian keeps them out of `PATH`, in `/usr/lib/postgresql/<major>/bin`; the newest major wins.
public struct PostgresBinaries: Sendable {
    public var directory: URL

    public func path(_ program: String) -> String { directory.appendingPathComponent(program).path }

    /// Finds a folder holding `initdb` and `pg_ctl`, or explains which package to install.
    public static func locate(
        searchPath: String? = ProcessInfo.processInfo.environment["PATH"],
        debianRoot: String = "/usr/lib/postgresql"
    ) throws(EmbeddedPostgresError) -> PostgresBinaries {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["SATANG_PG_BIN"], !override.isEmpty {
            candidates.append(URL(fileURLWithPath: override))
        }
        let majors = (try? FileManager.default.contentsOfDirectory(atPath: debianRoot)) ?? []
        for major in majors.compactMap(Int.init).sorted(by: >) {
            candidates.append(URL(fileURLWithPath: "\(debianRoot)/\(major)/bin"))
        }
        for entry in (searchPath ?? "").split(separator: ":") {
            candidates.append(URL(fileURLWithPath: String(entry)))
        }
        for directory in candidates {
            let binaries = PostgresBinaries(directory: directory)
            if FileManager.default.isExecutableFile(atPath: binaries.path("initdb")),
                FileManager.default.isExecutableFile(atPath: binaries.path("pg_ctl"))
            {
                return binaries
            }
        }
        throw .binariesMissing
    }
}
