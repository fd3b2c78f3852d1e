import ServiceLifecycle

/// The loop every background worker runs: do a round of work, rest `idle` when the round found nothing,
/// and stop when graceful shutdown begins (a round already under way finishes its transaction).
func repeatUntilShutdown(idle: Duration, _ round: @escaping @Sendable () async throws -> Int) async {
    try? await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            let done = (try? await round()) ?? 0
            if done == 0 { try await Task.sleep(for: idle) }
        }
    }
}
