import Foundation
import Imaging

/// A salient-object segmenter's answer for one image: one 0...255 value per pixel (255 = surely
/// foreground), at the image's own size.
public struct SaliencyMap: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height` values, row-major.
    public let values: [UInt8]

    public init(width: Int, height: Int, values: [UInt8]) {
        precondition(values.count == width * height, "\(values.count) values for \(width)x\(height)")
        self.width = width
        self.height = height
        self.values = values
    }

    /// The no-download mask of `dataset generate` (`SaliencyMask.spectralResidual`) as a map of
    /// 0 and 255.
    public init(spectralResidualOf image: RGBImage) {
        let mask = SaliencyMask.spectralResidual(image)
        self.init(width: mask.width, height: mask.height, values: mask.values.map { $0 != 0 ? 255 : 0 })
    }

    /// The binary foreground mask: a pixel is foreground when its value is >= `threshold` (128 by
    /// default, the middle of the scale, as user masks are read).
    public func binaryMask(threshold: UInt8 = 128) -> BinaryMask {
        BinaryMask(width: width, height: height, values: values.map { $0 >= threshold ? 1 : 0 })
    }

    /// The fraction of pixels at or above `threshold`.
    public func foregroundFraction(threshold: UInt8 = 128) -> Double {
        values.isEmpty ? 0 : Double(values.lazy.filter { $0 >= threshold }.count) / Double(values.count)
    }
}
