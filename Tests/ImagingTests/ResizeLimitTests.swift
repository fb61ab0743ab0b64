import Foundation
import XCTest
@testable import Imaging

/// The shorter-side resize works out its output size first and refuses sizes above
/// `Resampling.maxResizePixels`; the bounded crop-window variant gives exactly the
/// full resize + centre crop (checked against Pillow + torchvision's fixtures).
final class ResizeLimitTests: XCTestCase {
    func testThinImageResizeIsRefusedWithTheSizes() {
        let thin = RGBImage(width: 1_000_000, height: 1)
        XCTAssertThrowsError(try Resampling.resizeShorterSide(thin, to: 288)) { error in
            XCTAssertEqual("\(error)", "image is 1000000x1: resizing its shorter side to 288 would make 288000000x288 pixels (limit 178956970 pixels)")
        }
        // Tall images the same way round, and a limit given by the caller.
        XCTAssertThrowsError(try Resampling.resizeShorterSide(RGBImage(width: 2, height: 5000), to: 100, maxPixels: 200_000)) { error in
            XCTAssertEqual(error as? ResizeError, ResizeError(width: 2, height: 5000, size: 100, target: (100, 250_000), limit: 200_000))
        }
        XCTAssertThrowsError(try Resampling.resizeShorterSide(RGBImage(width: 3, height: 3), to: 0))
    }

    /// A sum that overflows Int in `size * long` saturates instead of trapping.
    func testAbsurdSizesDoNotOverflow() {
        XCTAssertThrowsError(try Resampling.checkShorterSideResize(width: Int.max / 2, height: 1, size: 288)) { error in
            XCTAssertTrue("\(error)".contains("would make"), "\(error)")
        }
    }

    /// Exactly at the limit a thin image still resizes (1 px high, as Pillow would, to a
    /// 288-high strip); one pixel less and it is refused.
    func testThinImageAtTheLimitIsResized() throws {
        let img = RGBImage(width: 100, height: 1, pixels: (0..<300).map { UInt8($0 % 251) })
        let out = try Resampling.resizeShorterSide(img, to: 288, maxPixels: 28800 * 288)
        XCTAssertEqual(out.width, 28800)
        XCTAssertEqual(out.height, 288)
        XCTAssertThrowsError(try Resampling.resizeShorterSide(img, to: 288, maxPixels: 28800 * 288 - 1))
    }

    /// Against the Pillow geometry fixtures (resize then centre crop, including the 1x13
    /// strip and crops larger than the resize, which pad).
    func testCropWindowEqualsFullResizeAndCrop() throws {
        var checked = 0
        for c in Fixtures.index.pipeline {
            guard let geometry = c.geometry else { continue }
            let src = try ImageDecoder.decode(contentsOf: Fixtures.url(c.source))
            let want = try Fixtures.expectedImage(geometry, width: c.crop, height: c.crop)
            let got = Resampling.resizeShorterSideAndCenterCrop(src, to: c.size, cropWidth: c.crop, cropHeight: c.crop)
            XCTAssertSameImage(got, want, "window \(c.source) \(c.size)/\(c.crop)")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 2)
        // And against our own full path on shapes the fixtures lack (both pass orders, up and down).
        for (w, h, size, crop) in [(13, 1, 288, 224), (1, 13, 288, 224), (500, 375, 288, 224), (40, 3000, 64, 50), (3000, 40, 64, 80)] {
            let img = RGBImage(width: w, height: h, pixels: (0..<(w * h * 3)).map { UInt8(($0 * 7 + $0 / 5) % 256) })
            let full = Resampling.centerCrop(try Resampling.resizeShorterSide(img, to: size), width: crop, height: crop)
            XCTAssertSameImage(Resampling.resizeShorterSideAndCenterCrop(img, to: size, cropWidth: crop, cropHeight: crop), full,
                               "window \(w)x\(h) \(size)/\(crop)")
        }
    }

    /// Over the limit the window still works, in bounded memory: a 1000000x1 strip gives a
    /// 224x224 crop whose every row is the same (one source row), from the strip's middle.
    func testCropWindowOfAnOversizedResize() {
        let img = RGBImage(width: 1_000_000, height: 1, pixels: (0..<3_000_000).map { UInt8($0 / 3 % 256) })
        let out = Resampling.resizeShorterSideAndCenterCrop(img, to: 288, cropWidth: 224, cropHeight: 224)
        XCTAssertEqual(out.width, 224)
        XCTAssertEqual(out.height, 224)
        for y in 1..<224 { XCTAssertEqual(out.pixels[y * 672..<(y + 1) * 672], out.pixels[0..<672]) }
        // The window starts at output column 143999888, i.e. source x ~ 499999.6, whose
        // neighbours hold 499999 % 256 = 31 and 32.
        XCTAssertTrue((31...32).contains(out.pixels[0]), "\(out.pixels[0])")
    }
}
