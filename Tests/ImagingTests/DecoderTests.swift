import Foundation
import XCTest
@testable import Imaging

/// Decoded pixels must equal Pillow's `Image.open(f).convert("RGB")` exactly.
final class DecoderTests: XCTestCase {
    func testRawFixturesMatchPillow() throws {
        // The .rgb expectations first: they do not depend on our PNG decoder.
        for c in Fixtures.index.decode where c.expected.hasSuffix(".rgb") {
            let img = try ImageDecoder.decode(contentsOf: Fixtures.url(c.file))
            let want = try Fixtures.expectedImage(c.expected, width: c.width, height: c.height)
            XCTAssertSameImage(img, want, "\(c.file) [Pillow mode \(c.pillowMode); \(c.note)]")
        }
    }

    func testLargeFixturesMatchPillow() throws {
        for c in Fixtures.index.decode where c.expected.hasSuffix(".png") {
            let img = try ImageDecoder.decode(contentsOf: Fixtures.url(c.file))
            let want = try Fixtures.expectedImage(c.expected, width: c.width, height: c.height)
            XCTAssertSameImage(img, want, "\(c.file) [\(c.note)]")
        }
    }

    func testFormatIsSniffedNotTakenFromTheExtension() throws {
        let png = try Fixtures.data("png_rgb8_7x9.png")
        let img = try ImageDecoder.decode(data: png, name: "mislabelled.jpg")
        XCTAssertEqual(img.width, 7)
        XCTAssertEqual(img.height, 9)
    }
}
