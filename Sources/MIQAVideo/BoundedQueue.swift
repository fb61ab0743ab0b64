import Foundation

/// A first-in first-out hand-over between one producer and one consumer thread that holds at
/// most `capacity` items: the producer waits when it is full, so a fast decoder cannot fill
/// memory with frames the model has not reached yet.
final class BoundedQueue<Element>: @unchecked Sendable {
    private var items: [Element] = []
    private let lock = NSCondition()
    private let capacity: Int
    private var closed = false

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Waits for room, then appends. Returns false (dropping the item) once the consumer closed it.
    @discardableResult
    func push(_ item: Element) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        while items.count >= capacity && !closed { lock.wait() }
        guard !closed else { return false }
        items.append(item)
        lock.broadcast()
        return true
    }

    /// Waits for an item; nil once the queue is closed and empty.
    func pop() -> Element? {
        lock.lock()
        defer { lock.unlock() }
        while items.isEmpty && !closed { lock.wait() }
        guard !items.isEmpty else { return nil }
        let item = items.removeFirst()
        lock.broadcast()
        return item
    }

    /// No more items will come (producer), or none are wanted any more (consumer).
    func close() {
        lock.lock()
        closed = true
        lock.broadcast()
        lock.unlock()
    }
}
