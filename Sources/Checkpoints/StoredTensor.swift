/// A tensor read from (or about to be written to) a weight file, held on the host.
///
/// Deliberately engine-agnostic: just a shape and row-major contiguous values,
/// so that any tensor library in the project can adopt it without this module
/// depending on that library.
public struct StoredTensor: Sendable, Equatable {
    /// Dimensions, outermost first. Empty for a scalar.
    public var shape: [Int]
    /// The element type the tensor had in its source file.
    public var sourceType: StorageType
    /// All elements converted to Float32, row-major and contiguous.
    public var values: [Float]

    /// Creates a tensor; `values.count` should equal the product of `shape`.
    public init(shape: [Int], sourceType: StorageType = .float32, values: [Float]) {
        self.shape = shape
        self.sourceType = sourceType
        self.values = values
    }

    /// Number of elements implied by `shape` (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}
