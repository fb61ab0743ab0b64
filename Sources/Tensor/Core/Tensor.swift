import Foundation
import CDNNL

/// A dense, contiguous, row-major Float32 tensor.
///
/// Storage is 64-byte aligned so that oneDNN's vector kernels and our SIMD loops can use aligned
/// loads. A tensor owns its storage; views are not modelled because the inference graph never
/// needs them cheaply (the kernels take strides where a view would be useful).
public final class Tensor: @unchecked Sendable {
    /// The extent of each dimension, outermost first.
    public let shape: [Int]
    /// Pointer to `count` floats, owned by this tensor.
    public let data: UnsafeMutablePointer<Float>
    /// Number of elements.
    public let count: Int
    /// The tensor whose storage this one shares, kept alive by this reference (nil: owns its storage).
    private let owner: Tensor?

    /// Allocates an uninitialised tensor of the given shape.
    public init(uninitializedShape shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.count = shape.reduce(1, *)
        self.owner = nil
        _ = Tensor.allocatorConfigured
        var raw: UnsafeMutableRawPointer?
        let bytes = max(64, count * MemoryLayout<Float>.stride)
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else {
            fatalError("out of memory allocating tensor of shape \(shape)")
        }
        self.data = raw.bindMemory(to: Float.self, capacity: max(count, 16))
    }

    /// Allocates a tensor filled with zeros.
    public convenience init(zeros shape: [Int]) {
        self.init(uninitializedShape: shape)
        data.initialize(repeating: 0, count: count)
    }

    /// Creates a tensor holding a copy of `values`, which must have `shape`'s element count.
    public convenience init(shape: [Int], values: [Float]) {
        self.init(uninitializedShape: shape)
        precondition(values.count == count, "\(values.count) values for shape \(shape)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    /// A tensor viewing `other`'s storage under another shape of equal element count.
    init(sharing other: Tensor, shape: [Int]) {
        self.shape = shape
        self.count = other.count
        self.data = other.data
        self.owner = other.owner ?? other
    }

    deinit { if owner == nil { free(data) } }

    /// Configures the allocator once, before the first tensor (`HeapPolicy.keepLargeBlocks`).
    private static let allocatorConfigured: Bool = {
        HeapPolicy.keepLargeBlocks()
        return true
    }()

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// A copy of the elements as an array.
    public var values: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// The elements as a mutable buffer (no copy).
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: data, count: count) }

    /// A new tensor with the same elements and a different shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let t = Tensor(uninitializedShape: newShape)
        precondition(t.count == count, "cannot reshape \(shape) to \(newShape)")
        t.data.update(from: data, count: count)
        return t
    }

    /// The destination of a kernel: `accumulate` (a residual the caller hands over, which must hold
    /// `count` elements) or a new tensor of `shape`.
    public static func destination(_ shape: [Int], accumulate: Tensor?, what: @autoclosure () -> String) -> Tensor {
        guard let accumulate else { return Tensor(uninitializedShape: shape) }
        precondition(accumulate.count == shape.reduce(1, *), "residual \(accumulate.shape) != \(what()) \(shape)")
        return accumulate
    }

    /// A deep copy.
    public func copy() -> Tensor { reshaped(shape) }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let head = (0..<min(count, 6)).map { String(format: "%.5g", data[$0]) }.joined(separator: ", ")
        return "Tensor\(shape)[\(head)\(count > 6 ? ", ..." : "")]"
    }
}

extension Tensor {
    /// The same storage under a new shape of equal element count (no copy): the old tensor must
    /// not be used afterwards. Used where a layout is already right, e.g. NHWC patch grids that
    /// are token sequences.
    public func reshapedInPlace(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(sharing: self, shape: newShape)
    }
}
