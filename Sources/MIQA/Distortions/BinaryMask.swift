/// A binary foreground mask, one byte per pixel, row-major: 1 = foreground, 0 = background.
public struct BinaryMask: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width * height` values, each 0 or 1.
    public private(set) var values: [UInt8]

    /// Wraps per-pixel values; any non-zero value (e.g. 255 from a PNG mask) counts as foreground.
    public init(width: Int, height: Int, values: [UInt8]) {
        precondition(values.count == width * height, "mask size does not match \(width)x\(height)")
        self.width = width
        self.height = height
        self.values = values.map { $0 != 0 ? 1 : 0 }
    }

    /// Fraction of pixels that are foreground (0 for an empty mask).
    public var coverage: Double {
        values.isEmpty ? 0 : Double(values.reduce(0) { $0 + Int($1) }) / Double(values.count)
    }
}
