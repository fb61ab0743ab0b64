@preconcurrency import Glibc
import Foundation
import XCTest
@testable import Imaging

/// Bad WebP, BMP and TIFF input gives an `ImageError` naming the file, never
/// a crash, and nothing on stderr.
final class FormatErrorTests: XCTestCase {
    private func error(_ data: Data, name: String = "bad", maxPixels: Int = ImageDecoder.defaultMaxPixels) -> ImageError? {
        do {
            _ = try ImageDecoder.decode(data: data, name: name, maxPixels: maxPixels)
            return nil
        } catch let e as ImageError {
            XCTAssertTrue("\(e)".hasPrefix(name + ":"), "message must name the file: \(e)")
            return e
        } catch {
            XCTFail("unexpected error type \(error)")
            return nil
        }
    }

    private func isCorrupt(_ e: ImageError?) -> Bool {
        if case .corrupt? = e { return true }
        return false
    }

    /// Every prefix of every fixture either decodes or throws (no crash, no hang).
    func testEveryCutOfEveryFixtureIsHandled() throws {
        for c in Fixtures.formats.decode {
            let full = try Fixtures.data(c.file)
            for cut in Set([0, 1, 8, 12, 20, 40, 60, full.count / 3, full.count / 2, full.count - 1]) where cut < full.count {
                do { _ = try ImageDecoder.decode(data: full.prefix(cut), name: c.file) } catch is ImageError {}
            }
            // Flipping bits all over the file must not crash either.
            var bytes = [UInt8](full)
            for i in stride(from: 16, to: bytes.count, by: 5) { bytes[i] ^= 0xA5 }
            do { _ = try ImageDecoder.decode(data: Data(bytes), name: c.file) } catch is ImageError {}
        }
    }

    // MARK: WebP

    func testTruncatedWebP() throws {
        for file in ["webp_lossy_37x29.webp", "webp_lossless_alpha_19x11.webp", "webp_lossy_alpha_37x29.webp"] {
            let full = try Fixtures.data(file)
            for cut in [full.count - 1, full.count / 2, 30, 12] {
                XCTAssertEqual(error(full.prefix(cut), name: file), .truncated(name: file), "\(file) cut at \(cut)")
            }
        }
    }

    func testCorruptWebPBitstream() throws {
        var bytes = [UInt8](try Fixtures.data("webp_lossy_37x29.webp"))
        for i in stride(from: 20, to: bytes.count, by: 7) { bytes[i] ^= 0x5A }
        XCTAssertTrue(isCorrupt(error(Data(bytes), name: "c.webp")))
    }

    func testAnimatedWebPIsRefused() throws {
        XCTAssertEqual(error(try Fixtures.data("webp_animated_8x6.webp"), name: "a.webp"),
                       .unsupportedFormat(name: "a.webp", format: "animated WebP"))
    }

    func testWebPPixelLimit() throws {
        let data = try Fixtures.data("webp_lossless_21x13.webp")
        XCTAssertEqual(error(data, name: "w.webp", maxPixels: 21 * 13 - 1),
                       .tooManyPixels(name: "w.webp", width: 21, height: 13, limit: 21 * 13 - 1))
        XCTAssertNil(error(data, name: "w.webp", maxPixels: 21 * 13))
    }

    // MARK: BMP

    func testTruncatedBMP() throws {
        for file in ["bmp_rgb24_23x14.bmp", "bmp_pal4_23x14.bmp", "bmp_rle8_23x14.bmp", "bmp_rle4_23x14.bmp",
                     "bmp_bgra32_v4_topdown_23x14.bmp"] {
            let full = try Fixtures.data(file)
            for cut in [full.count / 2, 30, 10] {
                XCTAssertEqual(error(full.prefix(cut), name: file), .truncated(name: file), "\(file) cut at \(cut)")
            }
        }
    }

    func testRLEEndingEarlyIsCorrupt() throws {
        // Pillow: "not enough image data" when end-of-bitmap comes before the last row.
        let bmp = BMPFactory.file(width: 4, height: 2, bits: 8, compression: 1, palette: [0, 0, 255, 0],
                                  pixels: [2, 0, 0, 0, 0, 1])
        XCTAssertEqual(error(bmp, name: "r.bmp"), .corrupt(name: "r.bmp", reason: "not enough image data"))
    }

    func testUnsupportedBMPVariants() {
        XCTAssertTrue(isCorrupt(error(BMPFactory.file(width: 2, height: 2, bits: 7, pixels: [UInt8](repeating: 0, count: 16)))))
        XCTAssertTrue(isCorrupt(error(BMPFactory.file(width: 2, height: 2, bits: 24, compression: 4, pixels: [0]))))
        XCTAssertTrue(isCorrupt(error(BMPFactory.file(width: 2, height: 2, bits: 24, headerSize: 20, pixels: [0]))))
        // 16-bit BITFIELDS with masks other than 5-5-5 / 5-6-5.
        let masks: [UInt8] = [0x00, 0xF0, 0, 0, 0xF0, 0x0F, 0, 0, 0x0F, 0, 0, 0]
        XCTAssertTrue(isCorrupt(error(BMPFactory.file(width: 2, height: 1, bits: 16, compression: 3, extra: masks,
                                                      pixels: [0, 0, 0, 0]))))
    }

    func testBMPPixelLimitFromHeaderAlone() {
        let header = BMPFactory.file(width: 30000, height: -30000, bits: 24, pixels: [])
        XCTAssertEqual(error(header, name: "bomb.bmp"),
                       .tooManyPixels(name: "bomb.bmp", width: 30000, height: 30000, limit: 178_956_970))
        XCTAssertEqual(error(header, name: "bomb.bmp", maxPixels: 1_000_000_000),
                       .tooManyBytes(name: "bomb.bmp", width: 30000, height: 30000, bytes: 30000 * 30000 * 3, limit: 1 << 31))
        let smaller = BMPFactory.file(width: 20000, height: -20000, bits: 24, pixels: [])
        XCTAssertEqual(error(smaller, name: "bomb.bmp", maxPixels: 1_000_000_000), .truncated(name: "bomb.bmp"))
    }

    // MARK: TIFF

    func testTruncatedTIFF() throws {
        for file in ["tiff_rgb8_none_27x19.tif", "tiff_rgb8_lzw_27x19.tif", "tiff_rgb8_tiled_40x35.tif",
                     "tiff_rgb8_planar_27x19.tif"] {
            let full = try Fixtures.data(file)
            for cut in [full.count - 1, full.count / 2, 9] {
                XCTAssertEqual(error(full.prefix(cut), name: file), .truncated(name: file), "\(file) cut at \(cut)")
            }
        }
    }

    func testCorruptTIFFDirectory() throws {
        var bytes = [UInt8](try Fixtures.data("tiff_rgb8_lzw_27x19.tif"))
        for i in stride(from: 20, to: bytes.count, by: 7) { bytes[i] ^= 0x5A }
        let e = error(Data(bytes), name: "c.tif")
        XCTAssertTrue(isCorrupt(e), "\(String(describing: e))")
        XCTAssertFalse("\(e!)".contains("tiff:"), "libtiff's handle name must not leak into the message")
    }

    func testTIFFPixelLimitFromHeaderAlone() {
        let header = TIFFFactory.header(width: 30000, height: 30000)
        XCTAssertEqual(error(header, name: "bomb.tif"),
                       .tooManyPixels(name: "bomb.tif", width: 30000, height: 30000, limit: 178_956_970))
        // Decoded plane plus RGB result: 6 bytes per pixel, over the 2 GiB budget.
        XCTAssertEqual(error(header, name: "bomb.tif", maxPixels: 1_000_000_000),
                       .tooManyBytes(name: "bomb.tif", width: 30000, height: 30000, bytes: 30000 * 30000 * 6, limit: 1 << 31))
        XCTAssertEqual(error(TIFFFactory.header(width: 15000, height: 15000), name: "bomb.tif", maxPixels: 1_000_000_000),
                       .truncated(name: "bomb.tif"))
    }

    /// libtiff prints errors and warnings on stderr unless told otherwise.
    func testLibTIFFPrintsNothing() throws {
        let captured = try StderrCapture.run {
            var bytes = [UInt8](try Fixtures.data("tiff_rgb8_lzw_27x19.tif"))
            for i in stride(from: 20, to: bytes.count, by: 7) { bytes[i] ^= 0x5A }
            _ = error(Data(bytes), name: "c.tif")
            _ = error(try Fixtures.data("tiff_rgb8_none_27x19.tif").prefix(900), name: "t.tif")
            _ = error(TIFFFactory.header(width: 30, height: 30), name: "h.tif")
        }
        XCTAssertEqual(captured, "", "stderr must stay silent")
        // The capture itself works: what is written to fd 2 is seen.
        XCTAssertEqual(try StderrCapture.run { fputs("probe", stderr) }, "probe")
    }
}
