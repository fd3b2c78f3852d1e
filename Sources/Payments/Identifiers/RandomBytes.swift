import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Bytes from the kernel's cryptographic generator, drawn 4 KiB at a time: this glibc's `arc4random_buf` is
/// a `getrandom` system call on every use, and a payment takes four UUIDs on its way to SUCCEEDED.
enum RandomBytes {
    private struct Pool {
        var bytes = [UInt8](repeating: 0, count: 4096)
        var next = 4096
    }

    private static let pool = Mutex(Pool())

    /// Fills `buffer` (at most 4 KiB) with bytes no one else is given.
    static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count <= 4096)
        pool.withLock { pool in
            if pool.next + buffer.count > pool.bytes.count {
                pool.bytes.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
                pool.next = 0
            }
            pool.bytes.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[pool.next..<pool.next + buffer.count]))
            }
            pool.next += buffer.count
        }
    }
}
