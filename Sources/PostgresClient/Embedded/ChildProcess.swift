import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs PostgreSQL's programs (initdb, pg_ctl, pgbench), as the `postgres` system user when given one.
///
/// Blocks until the program exits: call it from a thread pool, not from an async context's own thread.
public struct ChildProcess: Sendable {
    /// The account the programs run as, or `nil` to run as the current user.
    let runAs: PostgresSystemUser?

    init(runAs: PostgresSystemUser?) { self.runAs = runAs }

    /// Runs programs as the current user.
    public static let currentUser = ChildProcess(runAs: nil)

    /// Runs `executable` with `arguments`; returns its combined output, or throws with that output.
    @discardableResult
    public func run(_ executable: String, _ arguments: [String]) throws(EmbeddedPostgresError) -> String {
        let argv = runAs.map { [$0.runuserPath, "-u", $0.name, "--", executable] + arguments } ?? [executable] + arguments
        // Output goes to a file, not a pipe: the server that pg_ctl starts would hold a pipe open forever.
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("satang-cmd-\(UUID().uuidString).log").path
        defer { unlink(outputPath) }
        let commandLine = ([executable] + arguments).joined(separator: " ")
        let status = Self.spawnAndWait(argv, outputPath: outputPath)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else { throw .commandFailed(command: commandLine, status: status, output: text) }
        return text
    }

    /// posix_spawn + waitpid. Foundation's `Process` is not used: on Linux it learns of the child's exit
    /// through a descriptor the daemonised PostgreSQL server inherits, so waiting on `pg_ctl start` never ends.
    private static func spawnAndWait(_ argv: [String], outputPath: String) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The child starts with no blocked signals and default handlers: threads of this process block
        // some (pgbench's -T timer is SIGALRM, and would never fire).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, environ)
        guard spawned == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return -1 }
        }
        // WIFEXITED / WEXITSTATUS, which Swift cannot import as macros.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

/// The unprivileged account PostgreSQL runs under when the machine's user is root.
struct PostgresSystemUser: Sendable {
    let name: String
    let uid: uid_t
    let gid: gid_t
    let runuserPath: String

    /// `nil` when not root; throws when root but there is no `postgres` account to switch to.
    static func forCurrentProcess() throws(EmbeddedPostgresError) -> PostgresSystemUser? {
        guard geteuid() == 0 else { return nil }
        guard let entry = getpwnam("postgres") else { throw .noPostgresUser }
        let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let runuser else {
            throw .commandFailed(command: "runuser", status: -1, output: "runuser (util-linux) is not installed")
        }
        return PostgresSystemUser(
            name: "postgres", uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid, runuserPath: runuser)
    }

    /// Gives a file or folder to this account, so the server can read and write it.
    func take(_ path: String) throws(EmbeddedPostgresError) {
        guard chown(path, uid, gid) == 0 else {
            throw .dataDirectoryUnusable(path: path, reason: "chown to postgres failed (errno \(errno))")
        }
    }
}
