/// Why the embedded PostgreSQL could not be set up, started or stopped.
public enum EmbeddedPostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    case binariesMissing
    case noPostgresUser
    case commandFailed(command: String, status: Int32, output: String)
    case dataDirectoryUnusable(path: String, reason: String)

    public var description: String {
        switch self {
        case .binariesMissing:
            return "PostgreSQL's server programs (initdb, pg_ctl) are not installed; "
                + "install the Debian package postgresql (apt-get install -y postgresql), "
                + "or set DATABASE_URL to use an existing server"
        case .noPostgresUser:
            return "running as root, but there is no 'postgres' system user to run PostgreSQL as "
                + "(PostgreSQL refuses to run as root); install the Debian package postgresql, which creates it"
        case .commandFailed(let command, let status, let output):
            return "\(command) failed with exit status \(status): \(output.suffix(2000))"
        case .dataDirectoryUnusable(let path, let reason):
            return "cannot use \(path) as the PostgreSQL data folder: \(reason)"
        }
    }
}
