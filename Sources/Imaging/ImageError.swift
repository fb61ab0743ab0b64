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

    public var description: String {
        switch self {
        case let .unreadable(name, reason): return "\(name): cannot read file: \(reason)"
        case let .emptyFile(name): return "\(name): empty file"
        case let .notAnImage(name, firstBytes): return "\(name): not an image: \(firstBytes)"
        case let .unsupportedFormat(name, format): return "\(name): unsupported image format \(format)"
        case let .truncated(name): return "\(name): image file is truncated"
        case let .corrupt(name, reason): return "\(name): corrupt image data: \(reason)"
        case let .tooManyPixels(name, width, height, limit):
            return "\(name): image size \(width)x\(height) (\(width * height) pixels) exceeds the limit of \(limit) pixels"
        }
    }
}
