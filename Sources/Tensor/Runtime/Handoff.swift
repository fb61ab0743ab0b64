/// A value passed to code on other threads without a `Sendable` proof, where the use argues its
/// safety instead: parallel loop bodies that write disjoint ranges (`concurrentChunks`), a
/// pipeline handed to the one thread that runs it, or callbacks that worker threads only call
/// under one lock. Each use says which.
public struct Handoff<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
