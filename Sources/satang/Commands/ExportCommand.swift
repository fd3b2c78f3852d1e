import ArgumentParser
import Foundation
import Ledger

/// `satang export beancount|hledger`: the books for independent checking by `bean-check` and `hledger check`.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the books as Beancount or hledger files, for independent checking.",
        subcommands: [BeancountExportCommand.self, HledgerExportCommand.self])
}

struct BeancountExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "beancount", abstract: "Every account and entry, in Beancount syntax.")
    @OptionGroup var options: ExportOptions
    func run() async throws { try await options.export(.beancount) }
}

struct HledgerExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hledger", abstract: "Every account and entry, as an hledger journal.")
    @OptionGroup var options: ExportOptions
    func run() async throws { try await options.export(.hledger) }
}

struct ExportOptions: ParsableArguments {
    @Option(help: "Book code; all books when omitted.") var book: String?
    @Option(name: .customLong("to"), help: "File to write; standard output when omitted.") var file: String?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func export(_ format: LedgerExport.Format) async throws {
        let output: FileHandle
        if let file {
            guard FileManager.default.createFile(atPath: file, contents: nil) else { throw ValidationError("cannot write \(file)") }
            output = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        } else {
            output = FileHandle.standardOutput
        }
        let bookCode = book
        try await withDatabase(database, logging) { pool in
            let bookID: Int64? = if let bookCode { try await Ledger(pool: pool).book(code: bookCode).id } else { nil }
            try await LedgerExport(pool: pool).write(format, book: bookID) { output.write(Data($0.utf8)) }
        }
        if file != nil { try output.close() }
    }
}
