@preconcurrency import Glibc
import Foundation

/// Builds small BMP files byte by byte, for cases no writer produces.
enum BMPFactory {
    static func file(width: Int, height: Int, bits: Int, compression: Int = 0, headerSize: Int = 40,
                     palette: [UInt8] = [], extra: [UInt8] = [], pixels: [UInt8]) -> Data {
        func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        var info = le(headerSize, 4) + le(width, 4) + le(height, 4) + le(1, 2) + le(bits, 2)
        info += le(compression, 4) + le(pixels.count, 4) + le(0, 8) + le(palette.count / 4, 4) + le(0, 4)
        info += [UInt8](repeating: 0, count: max(0, headerSize - info.count))
        let offset = 14 + info.count + extra.count + palette.count
        let head = Array("BM".utf8) + le(offset + pixels.count, 4) + le(0, 4) + le(offset, 4)
        return Data(head + info + extra + palette + pixels)
    }
}

/// Builds a little-endian TIFF directory for an 8-bit RGB image with one
/// strip and no pixel data at all.
enum TIFFFactory {
    static func header(width: Int, height: Int) -> Data {
        func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        let entries: [(tag: Int, type: Int, value: Int)] = [
            (256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 2),
            (273, 4, 200), (277, 3, 3), (278, 4, height), (279, 4, width * height * 3),
        ]
        var out = Array("II".utf8) + le(42, 2) + le(8, 4) + le(entries.count, 2)
        for e in entries { out += le(e.tag, 2) + le(e.type, 2) + le(1, 4) + le(e.value, 4) }
        return Data(out + le(0, 4))
    }
}

/// Runs a block with file descriptor 2 redirected to a temporary file and
/// returns what was written there.
enum StderrCapture {
    static func run(_ body: () throws -> Void) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-stderr-\(getpid()).txt")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        fflush(stderr)
        let saved = dup(2)
        dup2(handle.fileDescriptor, 2)
        defer {
            fflush(stderr)
            dup2(saved, 2)
            close(saved)
            try? handle.close()
        }
        try body()
        fflush(stderr)
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
}
