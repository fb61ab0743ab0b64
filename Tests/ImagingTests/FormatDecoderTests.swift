import Foundation
import XCTest
@testable import Imaging

/// WebP, BMP and TIFF pixels must equal Pillow's `Image.open(f).convert("RGB")`.
final class FormatDecoderTests: XCTestCase {
    private func check(prefix: String) throws {
        let cases = Fixtures.formats.decode.filter { $0.file.hasPrefix(prefix) }
        XCTAssertGreaterThan(cases.count, 3, "fixtures for \(prefix) missing")
        for c in cases {
            let img = try ImageDecoder.decode(contentsOf: Fixtures.url(c.file))
            let want = try Fixtures.expectedImage(c.expected, width: c.width, height: c.height)
            XCTAssertSameImage(img, want, "\(c.file) [Pillow mode \(c.pillowMode); \(c.note)]")
        }
    }

    /// Lossy included: Pillow decodes with libwebp too, and the samples agree exactly.
    func testWebPMatchesPillow() throws { try check(prefix: "webp_") }

    func testBMPMatchesPillow() throws { try check(prefix: "bmp_") }

    func testTIFFMatchesPillow() throws { try check(prefix: "tiff_") }

    func testFormatsAreSniffed() throws {
        for (file, format) in [("webp_lossless_21x13.webp", ImageFormat.webp), ("bmp_rgb24_23x14.bmp", .bmp),
                               ("tiff_rgb8_lzw_27x19.tif", .tiff), ("tiff_rgb8_bigendian_27x19.tif", .tiff)] {
            XCTAssertEqual(ImageFormat.sniff(try Fixtures.data(file)), format, file)
        }
    }
}
