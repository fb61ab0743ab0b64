/// Why an image could not be read. Every case names the file it is about, so
/// a message from a batch run points at the offending input.
public enum ImageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read at all (missing, permissions, ...).
    case unreadable(name: String, reason: String)
    /// The file has zero bytes.
    case emptyFile(name: String)
    /// The leading bytes match no image format; `firstBytes` shows them.
    case notAnImage(name: String, firstBytes: String)
    /// A recognised image format this decoder does not handle (GIF, animated WebP).
    case unsupportedFormat(name: String, format: String)
    /// The data stops before the image is complete (Pillow: "image file is truncated").
    case truncated(name: String)
    /// The data is malformed; `reason` is the codec's own message.
    case corrupt(name: String, reason: String)
    /// The header announces more pixels than allowed (Pillow's decompression-bomb guard).
    case tooManyPixels(name: String, width: Int, height: Int, limit: Int)
    /// Decoding would need more working memory than allowed: the header's size times the
    /// bytes the codec and the RGB result take per pixel (checked before allocating anything).
    case tooManyBytes(name: String, width: Int, height: Int, bytes: Int, limit: Int)
    /// The image decoded, but preprocessing it would make an image above the limit.
    case cannotResize(name: String, ResizeError)

    public var description: String {
        switch self {
        case let .unreadable(name, reason): return "\(name): cannot read file: \(reason)"
        case let .emptyFile(name): return "\(name): empty file"
        case let .notAnImage(name, firstBytes): return "\(name): not an image: \(firstBytes)"
        case let .unsupportedFormat(name, format): return "\(name): unsupported image format \(format)"
        case let .truncated(name): return "\(name): image file is truncated"
        case let .corrupt(name, reason): return "\(name): corrupt image data: \(reason)"
        case let .tooManyPixels(name, width, height, limit):
            // Reporting multiply: the size came from a header and may be absurd.
            let (count, overflow) = width.multipliedReportingOverflow(by: height)
            let pixels = overflow ? "more than \(Int.max)" : "\(count)"
            return "\(name): image size \(width)x\(height) (\(pixels) pixels) exceeds the limit of \(limit) pixels"
        case let .cannotResize(name, error): return "\(name): \(error)"
        case let .tooManyBytes(name, width, height, bytes, limit):
            let need = bytes == Int.max ? "more than \(Int.max)" : "\(bytes)"
            return "\(name): decoding the \(width)x\(height) image would need \(need) bytes (limit \(limit) bytes)"
        }
    }
}
