import ServiceLifecycle

/// The loop every background worker runs: do a round of work, rest `idle` when the round found nothing,
/// and stop when graceful shutdown begins (a round already under way finishes its transaction).
///
/// A round that found some work but less than a full batch (`batch`) rests `gather` before the next,
/// so that under load work arrives in batches worth a transaction, instead of one transaction per item.
func repeatUntilShutdown(
    idle: Duration, batch: Int = .max, gather: Duration = .zero, _ round: @escaping @Sendable () async throws -> Int
) async {
    try? await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            let done = (try? await round()) ?? 0
            if done == 0 {
                try await Task.sleep(for: idle)
            } else if batch > done, gather > .zero {
                try await Task.sleep(for: gather)
            }
        }
    }
}
