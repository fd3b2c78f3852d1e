/// Why migrating stopped. Start-up refuses to continue on any of these.
public enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    case directoryUnreadable(String)
    case badFileName(String)
    case duplicateVersion(Int, String, String)
    /// An applied migration's file no longer matches what was applied.
    case checksumMismatch(fileName: String, recorded: String, current: String)
    /// The migration's SQL failed; nothing of it was applied.
    case failed(fileName: String, PostgresError)

    public var description: String {
        switch self {
        case .directoryUnreadable(let path):
            return "cannot read migrations at \(path); set SATANG_MIGRATIONS_DIR to the sql/migrations folder"
        case .badFileName(let name):
            return "migration file \(name) is not named NNNN_name.sql"
        case .duplicateVersion(let version, let first, let second):
            return "migrations \(first) and \(second) share version \(version)"
        case .checksumMismatch(let name, let recorded, let current):
            return "migration \(name) was changed after it was applied (applied checksum \(recorded.prefix(12))…, "
                + "file now \(current.prefix(12))…); restore the file and put the change in a new migration"
        case .failed(let name, let error):
            return "migration \(name) failed and was rolled back: \(error)"
        }
    }
}
