import Foundation
import XCTest
@testable import Imaging

final class EncoderTests: XCTestCase {
    func testPNGRoundTrip() throws {
        let img = try ImageDecoder.decode(contentsOf: Fixtures.url("jpeg_progressive_123x77.jpg"))
        let back = try ImageDecoder.decode(data: ImageEncoder.png(img), name: "roundtrip.png")
        XCTAssertEqual(back, img)
    }

    /// Our JPEG must be what Pillow's `save(quality=q)` writes: compared as
    /// bytes and as pixels decoded the Pillow-exact way.
    func testJPEGMatchesPillowEncoder() throws {
        for c in Fixtures.index.encode {
            let src = RGBImage(width: c.width, height: c.height, pixels: [UInt8](try Fixtures.data(c.source)))
            let ours = ImageEncoder.jpeg(src, quality: c.quality)
            let pillow = try Fixtures.data(c.pillowJPEG)
            let decoded = try ImageDecoder.decode(data: ours, name: "ours.jpg")
            let pillowDecoded = RGBImage(width: c.width, height: c.height, pixels: [UInt8](try Fixtures.data(c.pillowDecoded)))
            XCTAssertSameImage(decoded, pillowDecoded, "q\(c.quality) pixels")
            // Same libjpeg settings give the same bitstream (checked: identical today).
            XCTAssertEqual(ours, pillow, "q\(c.quality): JPEG bytes differ from Pillow's (\(ours.count) vs \(pillow.count))")
        }
    }
}
