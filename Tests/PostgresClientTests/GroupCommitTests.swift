import PostgresClient
import SatangTestSupport
import Testing

/// Group commit without a database: callers' items are written in shared batches, each caller gets its
/// own answer, and no more batches are in flight than allowed.
@Suite struct GroupCommitTests {
    struct Refused: Error {}

    @Test func concurrentCallersShareBatchesAndGetTheirOwnAnswers() async throws {
        let batches = Locked<[Int]>([])
        let inFlight = Locked((now: 0, most: 0))
        let commit = GroupCommit<Int, Int>(maxBatch: 16, writers: 2) { items in
            inFlight.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            batches.withLock { $0.append(items.count) }
            try? await Task.sleep(for: .milliseconds(5))
            inFlight.withLock { $0.now -= 1 }
            return items.map { $0 % 7 == 3 ? .failure(Refused()) : .success($0 * 2) }
        }
        let answers = await withTaskGroup(of: (Int, Int?).self) { group in
            for item in 0..<200 {
                group.addTask { (item, try? await commit.submit(item)) }
            }
            return await group.reduce(into: [Int: Int?]()) { $0[$1.0] = $1.1 }
        }
        for item in 0..<200 {
            #expect(answers[item]! == (item % 7 == 3 ? nil : item * 2), "item \(item)")
        }
        #expect(batches.value.reduce(0, +) == 200, "every item written exactly once")
        #expect(batches.value.max()! > 1, "waiting callers were batched: \(batches.value)")
        #expect(batches.value.max()! <= 16)
        #expect(inFlight.value.most <= 2)
    }

    @Test func aWriterThatMiscountsFailsItsWholeBatchInsteadOfHanging() async throws {
        let commit = GroupCommit<Int, Int>(maxBatch: 8, writers: 1) { _ in [] }
        await #expect(throws: GroupCommitError.self) { try await commit.submit(1) }
    }
}
