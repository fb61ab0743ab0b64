/// An 8-bit RGB image: the one pixel format the rest of MIQA works with.
///
/// Pixels are stored interleaved (HWC), row-major, with no row padding, so the
/// sample for channel `c` of pixel `(x, y)` lives at `(y * width + x) * 3 + c`.
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width * height * 3` samples, interleaved R, G, B, row after row.
    public var pixels: [UInt8]

    /// Wraps existing interleaved RGB samples.
    /// - Precondition: `pixels.count == width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "negative image size")
        precondition(pixels.count == width * height * 3, "pixel count does not match \(width)x\(height)x3")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A black image (all samples zero), the fill torchvision uses for padding.
    public init(width: Int, height: Int) {
        self.init(width: width, height: height, pixels: [UInt8](repeating: 0, count: width * height * 3))
    }

    /// Bytes per row of `pixels`.
    @inlinable public var rowStride: Int { width * 3 }

    /// One sample: channel 0 = R, 1 = G, 2 = B.
    @inlinable public subscript(x: Int, y: Int, channel: Int) -> UInt8 {
        get { pixels[(y * width + x) * 3 + channel] }
        set { pixels[(y * width + x) * 3 + channel] = newValue }
    }

    /// One pixel as (R, G, B).
    @inlinable public subscript(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        get {
            let i = (y * width + x) * 3
            return (pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = (y * width + x) * 3
            pixels[i] = newValue.r
            pixels[i + 1] = newValue.g
            pixels[i + 2] = newValue.b
        }
    }
}
