import Foundation
import Logging
import Payments

/// Writes each log record as one JSON object per line on standard output, for log collectors.
///
/// Metadata keys are dot-namespaced (`request.id`, `payment.id`); callers never put secrets in them.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String

    public init(label: String, logLevel: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        // Written through JSONValue: JSONSerialization with sorted keys collates through ICU, and this runs
        // for every request. Fixed fields first, then metadata in key order, so lines diff well.
        var members: [(String, JSONValue)] = [
            ("time", .string(Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))),
            ("level", .string(event.level.rawValue)),
            ("logger", .string(label)),
            ("message", .string(event.message.description)),
        ]
        for key in merged.keys.sorted() where !["time", "level", "logger", "message"].contains(key) {
            members.append((key, Self.json(merged[key]!)))
        }
        var line = Data(JSONValue.object(members).serialized.utf8)
        line.append(UInt8(ascii: "\n"))
        // One write(2) per record, so concurrent records do not interleave within a line.
        FileHandle.standardOutput.write(line)
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let string): .string(string)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let values): .object(values.keys.sorted().map { ($0, json(values[$0]!)) })
        }
    }
}
