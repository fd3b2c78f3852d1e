import Foundation

extension Date {
    /// This moment as a `timestamptz` column keeps it (whole microseconds), so a value shown before it is
    /// written reads back identical.
    public var postgresPrecision: Date {
        PostgresTimestamp.parse(PostgresTimestamp.format(self)) ?? self
    }
}
