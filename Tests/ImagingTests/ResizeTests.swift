import Foundation
import XCTest
@testable import Imaging

/// Resize and crop must reproduce Pillow / torchvision byte for byte.
final class ResizeTests: XCTestCase {
    func testResizeMatchesPillow() throws {
        for c in Fixtures.index.resize {
            let src = try ImageDecoder.decode(contentsOf: Fixtures.url(c.source))
            let filters: [String: ResampleFilter] = ["bilinear": .bilinear, "bicubic": .bicubic, "lanczos": .lanczos]
            let filter = try XCTUnwrap(filters[c.method], "unknown resize method \(c.method) in the fixture index")
            let got = Resampling.resize(src, width: c.width, height: c.height, filter: filter)
            let want = try Fixtures.expectedImage(c.expected, width: c.width, height: c.height)
            XCTAssertSameImage(got, want, "\(c.method) \(c.source) \(src.width)x\(src.height) -> \(c.width)x\(c.height)")
        }
    }

    func testShorterSideTargetUsesTruncation() {
        // int(288 * 289 / 40) = int(2080.8) = 2080; int(288 * 9 / 7) = int(370.28...) = 370.
        XCTAssertTrue(Resampling.shorterSideTarget(width: 289, height: 40, size: 288) == (2080, 288))
        XCTAssertTrue(Resampling.shorterSideTarget(width: 7, height: 9, size: 288) == (288, 370))
        XCTAssertTrue(Resampling.shorterSideTarget(width: 500, height: 375, size: 288) == (384, 288))
        XCTAssertTrue(Resampling.shorterSideTarget(width: 300, height: 300, size: 288) == (288, 288))
    }

    func testShorterSideAlreadyRightIsUnchanged() throws {
        let img = try ImageDecoder.decode(contentsOf: Fixtures.url("png_rgb8_289x40.png"))
        XCTAssertEqual(try Resampling.resizeShorterSide(img, to: 40), img)
    }

    func testCenterCropMatchesTorchvision() throws {
        for c in Fixtures.index.crop {
            let src = try ImageDecoder.decode(contentsOf: Fixtures.url(c.source))
            let got = Resampling.centerCrop(src, width: c.width, height: c.height)
            let want = try Fixtures.expectedImage(c.expected, width: c.width, height: c.height)
            XCTAssertSameImage(got, want, "crop \(c.source) -> \(c.width)x\(c.height)")
        }
    }
}
