import Foundation

/// One slot per iteration of a parallel loop (`DispatchQueue.concurrentPerform`), written from
/// any thread under a lock and read after the loop: the results array that loop bodies must
/// not mutate directly (a Swift array written from several threads is a data race, even at
/// distinct indices).
public final class ConcurrentResults<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Value?]

    /// `count` empty slots.
    public init(count: Int) { storage = [Value?](repeating: nil, count: count) }

    /// The slot `i`.
    public subscript(i: Int) -> Value? {
        get { lock.withLock { storage[i] } }
        set { lock.withLock { storage[i] = newValue } }
    }

    /// Every slot, in order.
    public var values: [Value?] { lock.withLock { storage } }
}
