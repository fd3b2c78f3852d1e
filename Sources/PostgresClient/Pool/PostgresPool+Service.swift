import ServiceLifecycle

/// Run in a `ServiceGroup`, the pool lives until graceful shutdown and then closes its connections,
/// after the services listed later in the group (the HTTP server) have stopped.
extension PostgresPool: Service {
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }
}
