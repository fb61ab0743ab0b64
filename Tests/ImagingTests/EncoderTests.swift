import Foundation
import XCTest
@testable import Imaging

final class EncoderTests: XCTestCase {
    func testPNGRoundTrip() throws {
        let img = try ImageDecoder.decode(contentsOf: Fixtures.url("jpeg_progressive_123x77.jpg"))
        let back = try ImageDecoder.decode(data: ImageEncoder.png(img), name: "roundtrip.png")
        XCTAssertEqual(back, img)
    }

    /// The generator's fast PNG: the same pixels back, a valid PNG signature, on an odd-sized
    /// photo and on noise (the worst case for the worst-case buffer bound).
    func testFastPNGRoundTrip() throws {
        let photo = try ImageDecoder.decode(contentsOf: Fixtures.url("jpeg_progressive_123x77.jpg"))
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let noise = RGBImage(width: 97, height: 61, pixels: (0..<(97 * 61 * 3)).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        })
        for img in [photo, noise] {
            let data = ImageEncoder.fastPNG(img)
            XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            XCTAssertEqual(try ImageDecoder.decode(data: data, name: "fast.png"), img)
        }
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
