import Foundation
import PostgresClient
import Testing

/// With no database configured, Satang runs its own cluster in a data folder, reused across starts.
@Suite struct EmbeddedPostgresTests {
    @Test func initialisesStartsStopsAndReusesTheFolder() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("satang-embedded-\(UUID().uuidString.prefix(8))").appendingPathComponent("pgdata")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let embedded = EmbeddedPostgres(dataDirectory: directory)
        let server = try await embedded.start()
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("PG_VERSION").path))
        let connection = try PostgresConnection.connect(server.configuration)
        try connection.query("CREATE TABLE kept (note text)")
        try connection.query("INSERT INTO kept VALUES ($1::text)", ["survives a restart"])
        let user: String = try connection.query("SELECT current_user AS u").single!.decode("u")
        #expect(user == "postgres")
        connection.close()
        try await server.stop()
        #expect(await server.isRunning() == false)

        let again = try await embedded.start()
        #expect(again.port == server.port)
        let reopened = try PostgresConnection.connect(again.configuration)
        let note: String = try reopened.query("SELECT note FROM kept").single!.decode("note")
        #expect(note == "survives a restart")
        reopened.close()
        try await again.stop()
    }

    @Test func missingBinariesNameThePackage() {
        let error = #expect(throws: EmbeddedPostgresError.self) {
            try PostgresBinaries.locate(searchPath: "/nonexistent", debianRoot: "/nonexistent")
        }
        #expect(error?.description.contains("apt-get install -y postgresql") == true)
    }
}
