import Foundation

/// Image container formats recognised from their leading "magic" bytes.
///
/// Sniffing the content instead of trusting the file extension is what Pillow
/// does too, so a PNG saved as `.jpg` still decodes and a text file named
/// `.jpg` is reported as "not an image".
public enum ImageFormat: String, Sendable {
    case jpeg = "JPEG", png = "PNG", gif = "GIF", webp = "WebP", bmp = "BMP", tiff = "TIFF"

    /// The format whose signature `data` starts with, or `nil`.
    public static func sniff(_ data: Data) -> ImageFormat? {
        let head = [UInt8](data.prefix(12))
        func starts(_ sig: [UInt8]) -> Bool { head.count >= sig.count && Array(head.prefix(sig.count)) == sig }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if head.count >= 12, starts(Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return .webp }
        if starts(Array("BM".utf8)) { return .bmp }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        return nil
    }

    /// Up to `count` leading bytes rendered for an error message: hex plus the
    /// printable-ASCII reading, which makes HTML/text mistaken for images obvious.
    static func describeLeadingBytes(_ data: Data, count: Int = 8) -> String {
        let bytes = [UInt8](data.prefix(count))
        let hex = bytes.map { String(format: "%02x", $0) }.joined(separator: " ")
        let text = String(bytes.map { (0x20..<0x7F).contains($0) ? Character(UnicodeScalar($0)) : "." })
        return "\(hex) \"\(text)\""
    }
}
