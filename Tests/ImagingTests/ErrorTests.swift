import Foundation
import XCTest
@testable import Imaging

/// Bad input must produce the right `ImageError`, never a crash.
final class ErrorTests: XCTestCase {
    private func error(_ data: Data, name: String = "bad", maxPixels: Int = ImageDecoder.defaultMaxPixels) -> ImageError? {
        do {
            _ = try ImageDecoder.decode(data: data, name: name, maxPixels: maxPixels)
            return nil
        } catch let e as ImageError {
            return e
        } catch {
            XCTFail("unexpected error type \(error)")
            return nil
        }
    }

    func testEmptyFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-empty-\(getpid()).jpg")
        try Data().write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try ImageDecoder.decode(contentsOf: url)) { e in
            XCTAssertEqual(e as? ImageError, .emptyFile(name: url.path))
            XCTAssertTrue("\(e)".contains("empty file"))
        }
    }

    func testMissingFile() {
        XCTAssertThrowsError(try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: "/nonexistent/x.png"))) { e in
            guard case .unreadable(let name, _)? = e as? ImageError else { return XCTFail("\(e)") }
            XCTAssertEqual(name, "/nonexistent/x.png")
        }
    }

    func testTextFileNamedJPG() throws {
        let url = Fixtures.url("not_an_image.jpg")
        XCTAssertThrowsError(try ImageDecoder.decode(contentsOf: url)) { e in
            guard case .notAnImage(let name, let first)? = e as? ImageError else { return XCTFail("\(e)") }
            XCTAssertEqual(name, url.path)
            XCTAssertTrue(first.contains("<html><"), first)
            XCTAssertTrue("\(e)".contains("not an image: 3c 68 74 6d"), "\(e)")
        }
    }

    func testTruncatedJPEG() throws {
        let full = try Fixtures.data("jpeg_baseline_400x300.jpg")
        for cut in [full.count / 2, full.count - 2, 700] {
            XCTAssertEqual(error(full.prefix(cut), name: "t.jpg"), .truncated(name: "t.jpg"), "cut at \(cut)")
        }
        // Too short to hold even the headers: TurboJPEG fails while reading them.
        XCTAssertNotNil(error(full.prefix(40), name: "t.jpg"))
        let progressive = try Fixtures.data("jpeg_progressive_123x77.jpg")
        XCTAssertEqual(error(progressive.prefix(progressive.count * 2 / 3), name: "p.jpg"), .truncated(name: "p.jpg"))
    }

    func testTruncatedPNG() throws {
        for file in ["png_rgb8_289x40.png", "png_interlaced_rgb8_33x21.png", "png_rgb16_19x11.png"] {
            let full = try Fixtures.data(file)
            for cut in [full.count / 2, 20, 40] {
                XCTAssertEqual(error(full.prefix(cut), name: file), .truncated(name: file), "\(file) cut at \(cut)")
            }
        }
    }

    func testCorruptPNGChecksum() throws {
        var bytes = [UInt8](try Fixtures.data("png_rgb8_7x9.png"))
        bytes[29] ^= 0xFF  // inside IHDR's CRC: a critical chunk, so fatal as in Pillow
        guard case .corrupt? = error(Data(bytes), name: "c.png") else { return XCTFail("expected corrupt") }
    }

    func testGarbageAfterJPEGMagic() {
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
        bytes += [UInt8](repeating: 0x41, count: 200)
        XCTAssertNotNil(error(Data(bytes), name: "g.jpg"))
    }

    /// A valid PNG signature + IHDR announcing 30000 x 30000 (9e8 pixels) and
    /// nothing else: the limit must trip from the header alone.
    func testTooManyPixelsFromHeader() {
        let header = PNGHeaderFactory.header(width: 30000, height: 30000)
        XCTAssertEqual(error(header, name: "bomb.png"),
                       .tooManyPixels(name: "bomb.png", width: 30000, height: 30000, limit: 178_956_970))
        // Under a raised pixel limit the byte budget still refuses it before libpng runs: rows of
        // up to 4 samples (tRNS may add alpha) plus a row pointer, then the 3-byte RGB copy.
        XCTAssertEqual(error(header, name: "bomb.png", maxPixels: 1_000_000_000),
                       .tooManyBytes(name: "bomb.png", width: 30000, height: 30000,
                                     bytes: (30000 * 4 + 8) * 30000 + 30000 * 30000 * 3, limit: 1 << 31))
        // Within both limits the same kind of header is merely truncated.
        XCTAssertEqual(error(PNGHeaderFactory.header(width: 15000, height: 15000), name: "bomb.png", maxPixels: 1_000_000_000),
                       .truncated(name: "bomb.png"))
    }

    func testTooManyPixelsJPEG() throws {
        let jpeg = try Fixtures.data("jpeg_baseline_400x300.jpg")
        XCTAssertEqual(error(jpeg, name: "j.jpg", maxPixels: 400 * 300 - 1),
                       .tooManyPixels(name: "j.jpg", width: 400, height: 300, limit: 119_999))
        XCTAssertNil(error(jpeg, name: "j.jpg", maxPixels: 400 * 300))
    }

    func testUnsupportedFormatIsNamed() {
        let gif = Data("GIF89a".utf8 + [0, 0, 0, 0])
        XCTAssertEqual(error(gif, name: "a.gif"), .unsupportedFormat(name: "a.gif", format: "GIF"))
    }
}

/// Builds PNG signature + IHDR chunk bytes (with a correct CRC).
enum PNGHeaderFactory {
    static func header(width: Int, height: Int) -> Data {
        func be32(_ v: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
        let body = Array("IHDR".utf8) + be32(width) + be32(height) + [8, 2, 0, 0, 0]
        return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + be32(13) + body + be32(Int(crc32(body))))
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return c ^ 0xFFFF_FFFF
    }
}
