import XCTest
@testable import Imaging

/// A 289 x 10000 image through the original's eval geometry, against Pillow + torchvision's rules
/// (`tools/imaging/make_tall_fixture.py`): shorter side to 288 (288 x 9965), centre crop 224.
final class TallImageTests: XCTestCase {
    /// The same integer formula as the Python script.
    static func pattern(width: Int, height: Int) -> RGBImage {
        var px = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                px[i] = UInt8((x * 7 + y * 3) % 256)
                px[i + 1] = UInt8((x * x + (y / 5) * 11) % 256)
                px[i + 2] = UInt8(((x ^ y) * 13 + (y / 97) * 29) % 256)
            }
        }
        return RGBImage(width: width, height: height, pixels: px)
    }

    func testTallImageGeometryMatchesPillow() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tall_289x10000_geometry.rgb")
        let want = [UInt8](try Data(contentsOf: url))
        XCTAssertEqual(want.count, 224 * 224 * 3)
        let img = Self.pattern(width: 289, height: 10000)
        let target = Resampling.shorterSideTarget(width: 289, height: 10000, size: 288)
        XCTAssertEqual(target.width, 288)
        XCTAssertEqual(target.height, 9965)
        let got = try Preprocess.imagenet.geometry(img)
        XCTAssertEqual(got.width, 224)
        XCTAssertEqual(got.height, 224)
        let diff = zip(got.pixels, want).map { abs(Int($0) - Int($1)) }.max() ?? 255
        XCTAssertEqual(diff, 0, "max abs difference from Pillow")
    }
}
