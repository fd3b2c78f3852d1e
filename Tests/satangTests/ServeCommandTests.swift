import Foundation
import SatangTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `satang serve` with no database configured: embedded PostgreSQL, healthy over HTTP, clean stop on a signal.
@Suite struct ServeCommandTests {
    @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
    func servesOnTheEmbeddedDatabaseAndStopsItOnSignal(_ signal: Int32) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("satang-serve-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let dataDirectory = directory.appendingPathComponent("pgdata")
        let port = freeTCPPort()
        let server = try SatangProcess.start(
            ["serve", "--port", String(port), "--data-dir", dataDirectory.path], workingDirectory: directory)

        let health = try await waitForHealth(port: port, server: server)
        #expect(health.status == 200, "\(server.output)")
        #expect(health.body.contains("\"status\":\"healthy\""))

        // An operator command beside the running service uses the same embedded database, and leaves it running.
        let (listStatus, listed) = try await SatangProcess.run(["merchant", "list", "--data-dir", dataDirectory.path])
        #expect(listStatus == 0, "\(listed)")
        #expect(try await httpGet(port: port, path: "/api/v1/health").status == 200)

        server.signal(signal)
        let status = await server.waitForExit(timeout: .seconds(60))
        #expect(status == 0, "\(server.output)")
        #expect(server.output.contains("embedded PostgreSQL stopped"))
        #expect(!FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("postmaster.pid").path),
                "the embedded PostgreSQL must stop with the service")
        // Every log line is JSON with a level and a message.
        for line in server.output.split(separator: "\n") where line.hasPrefix("{") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] != nil && object?["message"] != nil)
        }
    }

    private func waitForHealth(port: Int, server: SatangProcess) async throws -> (status: Int, body: String) {
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            if let answer = try? await httpGet(port: port, path: "/api/v1/health") { return answer }
            guard server.process.isRunning else { throw TestSetupError("satang exited early:\n\(server.output)") }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestSetupError("satang did not answer within 90 s:\n\(server.output)")
    }
}

/// A minimal HTTP/1.1 GET over a real socket, so the test talks to the server exactly as curl would.
func httpGet(port: Int, path: String) async throws -> (status: Int, body: String) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestSetupError("socket failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
    guard connected else { throw TestSetupError("connection refused") }
    let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    _ = request.withCString { send(fd, $0, strlen($0), 0) }
    var response = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = recv(fd, &buffer, buffer.count, 0)
        if count <= 0 { break }
        response.append(contentsOf: buffer[0..<count])
    }
    let text = String(decoding: response, as: UTF8.self)
    let statusLine = text.prefix { $0 != "\r" }.split(separator: " ")
    guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw TestSetupError("bad response: \(text)") }
    let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
    return (status, body)
}
