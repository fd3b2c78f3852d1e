import Synchronization

/// Group commit: work handed in by concurrent callers while a batch is being written becomes the next
/// batch, so many callers share one transaction and one commit instead of queueing for a commit each.
///
/// There is no background task. A caller that finds fewer than `writers` batches in flight writes one
/// itself (its own item first, then whoever is waiting); when it is done it hands the writer's turn to
/// the oldest caller still waiting. A lone caller therefore waits for nothing but its own transaction.
public final class GroupCommit<Item: Sendable, Output: Sendable>: Sendable {
    /// Writes a batch and answers every item, in order; one item's failure must not fail the others.
    public typealias Write = @Sendable ([Item]) async -> [Result<Output, any Error>]

    private enum Turn {
        case answered(Result<Output, any Error>)
        case write
    }

    private struct Waiter {
        var item: Item
        var continuation: CheckedContinuation<Turn, Never>
    }

    private struct State {
        var waiting: [Waiter] = []
        var writing = 0
    }

    private let state = Mutex(State())
    private let maxBatch: Int
    private let writers: Int
    private let write: Write

    /// `maxBatch` items at most per batch, `writers` batches in flight at once.
    public init(maxBatch: Int = 256, writers: Int = 2, write: @escaping Write) {
        precondition(maxBatch >= 1 && writers >= 1)
        self.maxBatch = maxBatch
        self.writers = writers
        self.write = write
    }

    /// Hands `item` in and returns its answer once the batch holding it has been written.
    public func submit(_ item: Item) async throws -> Output {
        let turn: Turn = await withCheckedContinuation { continuation in
            let writeNow = state.withLock { state -> Bool in
                if state.writing < writers {
                    state.writing += 1
                    return true
                }
                state.waiting.append(Waiter(item: item, continuation: continuation))
                return false
            }
            if writeNow { continuation.resume(returning: .write) }
        }
        switch turn {
        case .answered(let result):
            return try result.get()
        case .write:
            return try await writeBatch(leading: item).get()
        }
    }

    private func writeBatch(leading item: Item) async -> Result<Output, any Error> {
        let followers = state.withLock { state -> [Waiter] in
            let count = min(state.waiting.count, maxBatch - 1)
            defer { state.waiting.removeFirst(count) }
            return Array(state.waiting.prefix(count))
        }
        // Not `map(\.item)`: across modules this class runs unspecialised, and a key path into a generic
        // type is built afresh on every call (~8 µs a batch in a profile).
        var items = [item]
        items.reserveCapacity(followers.count + 1)
        for follower in followers { items.append(follower.item) }
        // The batch belongs to every caller in it: one caller's cancellation must not abort the others' writes.
        let write = self.write
        var results = await Task { await write(items) }.value
        if results.count != items.count {
            let failure = GroupCommitError(expected: items.count, answered: results.count)
            results = Array(repeating: .failure(failure), count: items.count)
        }
        for (follower, result) in zip(followers, results.dropFirst()) {
            follower.continuation.resume(returning: .answered(result))
        }
        let next = state.withLock { state -> Waiter? in
            guard !state.waiting.isEmpty else {
                state.writing -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.continuation.resume(returning: .write)
        return results[0]
    }
}

/// A batch writer answered a different number of items than it was given: a programming error, reported
/// to every caller in the batch instead of leaving any of them waiting.
public struct GroupCommitError: Error, CustomStringConvertible {
    public let expected: Int
    public let answered: Int
    public var description: String { "a batch of \(expected) was answered with \(answered) results" }
}
