import Foundation

/// Reads JPEG, PNG, WebP, BMP and TIFF files into `RGBImage`, reproducing the
/// pixels of Pillow's `Image.open(path).convert("RGB")`. GIF is recognised but
/// not decoded (`ImageError.unsupportedFormat`).
public enum ImageDecoder {
    /// Pillow's default decompression-bomb error threshold (2 x `MAX_IMAGE_PIXELS`).
    public static let defaultMaxPixels = 178_956_970

    /// Most memory one decode may allocate (codec buffers plus the RGB result), checked
    /// from the header before allocating. 2 GiB: every format at `defaultMaxPixels` fits
    /// (a 16-bit RGBA PNG, the costliest, needs 11 bytes per pixel), so this only bites
    /// when a caller raises the pixel limit.
    public static let maxDecodeBytes = 1 << 31

    /// Decodes the image file at `url`.
    /// - Parameter maxPixels: images whose header announces more pixels than this
    ///   are rejected before any pixel memory is allocated.
    /// - Throws: `ImageError` naming the file.
    public static func decode(contentsOf url: URL, maxPixels: Int = defaultMaxPixels) throws -> RGBImage {
        let name = url.isFileURL ? url.path : url.absoluteString
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw ImageError.unreadable(name: name, reason: error.localizedDescription)
        }
        return try decode(data: data, name: name, maxPixels: maxPixels)
    }

    /// Decodes an image held in memory; `name` is only used in error messages.
    public static func decode(data: Data, name: String) throws -> RGBImage {
        try decode(data: data, name: name, maxPixels: defaultMaxPixels)
    }

    /// Decodes an image held in memory with an explicit pixel limit.
    public static func decode(data: Data, name: String, maxPixels: Int) throws -> RGBImage {
        if data.isEmpty { throw ImageError.emptyFile(name: name) }
        guard let format = ImageFormat.sniff(data) else {
            throw ImageError.notAnImage(name: name, firstBytes: ImageFormat.describeLeadingBytes(data))
        }
        switch format {
        case .jpeg: return try JPEGDecoder.decode(data, name: name, maxPixels: maxPixels)
        case .png: return try PNGDecoder.decode(data, name: name, maxPixels: maxPixels)
        case .webp: return try WebPDecoder.decode(data, name: name, maxPixels: maxPixels)
        case .bmp: return try BMPDecoder.decode(data, name: name, maxPixels: maxPixels)
        case .tiff: return try TIFFDecoder.decode(data, name: name, maxPixels: maxPixels)
        default: throw ImageError.unsupportedFormat(name: name, format: format.rawValue)
        }
    }

    /// Shared guard: throws when `width * height` exceeds `maxPixels`.
    static func checkPixelLimit(width: Int, height: Int, maxPixels: Int, name: String) throws {
        // Multiply in full Int width: 30000 x 30000 must not overflow into a "small" number.
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || width < 0 || height < 0 || count > maxPixels {
            throw ImageError.tooManyPixels(name: name, width: width, height: height, limit: maxPixels)
        }
    }
}
