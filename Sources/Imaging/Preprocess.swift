import Foundation

/// The original tool's evaluation transform:
/// `Resize(size)` -> `CenterCrop(crop)` -> `ToTensor()` -> `Normalize(mean, std)`.
public struct Preprocess: Sendable {
    /// Target length of the shorter side after resizing.
    public var size: Int
    /// Side of the square center crop.
    public var crop: Int
    /// Per-channel mean subtracted after scaling to [0, 1].
    public var mean: (Float, Float, Float)
    /// Per-channel divisor applied after the mean.
    public var std: (Float, Float, Float)

    public init(size: Int = 288, crop: Int = 224,
                mean: (Float, Float, Float), std: (Float, Float, Float)) {
        self.size = size
        self.crop = crop
        self.mean = mean
        self.std = std
    }

    /// ImageNet statistics, 288 -> 224.
    public static let imagenet = Preprocess(mean: (0.485, 0.456, 0.406), std: (0.229, 0.224, 0.225))
    /// Maps [0, 1] to [-1, 1], 288 -> 224.
    public static let half = Preprocess(mean: (0.5, 0.5, 0.5), std: (0.5, 0.5, 0.5))

    /// The same transform with a different crop (e.g. 288 for the full view).
    public func withCrop(_ crop: Int) -> Preprocess {
        var copy = self
        copy.crop = crop
        return copy
    }

    /// Resized and cropped image, before conversion to floats.
    /// - Throws: `ResizeError` when the resize would exceed `Resampling.maxResizePixels`.
    /// Only the cropped window of the resize is computed (the same values as a full resize then
    /// crop), so a legal but very wide image costs a crop, not a 97-megapixel intermediate.
    public func geometry(_ img: RGBImage) throws -> RGBImage {
        try Resampling.checkShorterSideResize(width: img.width, height: img.height, size: size)
        return Resampling.resizeShorterSideAndCenterCrop(img, to: size, cropWidth: crop, cropHeight: crop)
    }

    /// The normalised `3 x crop x crop` tensor, channel-major (CHW).
    public func apply(_ img: RGBImage) throws -> [Float] {
        Self.normalizedCHW(try geometry(img), mean: mean, std: std)
    }

    /// Writes the normalised `crop x crop x 3` tensor, channels-last (HWC), to `out`.
    public func applyHWC(_ img: RGBImage, into out: UnsafeMutablePointer<Float>) throws {
        Self.normalizedHWC(try geometry(img), mean: mean, std: std, into: out)
    }

    /// Decodes the file at `url` and preprocesses it: the whole way from a path to the
    /// model's CHW input, with every failure (unreadable, corrupt, too large to decode or
    /// to resize) an `ImageError` naming the file.
    public func apply(contentsOf url: URL, maxPixels: Int = ImageDecoder.defaultMaxPixels) throws -> [Float] {
        let image = try ImageDecoder.decode(contentsOf: url, maxPixels: maxPixels)
        do {
            return try apply(image)
        } catch let error as ResizeError {
            throw ImageError.cannotResize(name: url.isFileURL ? url.path : url.absoluteString, error)
        }
    }
}
