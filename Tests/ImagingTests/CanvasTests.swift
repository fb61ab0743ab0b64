import Foundation
import XCTest
@testable import Imaging

/// Pixel-level checks of the Cairo canvas.
final class CanvasTests: XCTestCase {
    func testFilledRectangleHasExactColourAndSharpEdges() {
        let c = Canvas(width: 20, height: 10, background: .white)
        c.fillRect(x: 2, y: 3, width: 5, height: 4, color: CanvasColor(rgb8: 10, 200, 30))
        let img = c.rgbImage()
        for y in 0..<10 {
            for x in 0..<20 {
                let inside = (2..<7).contains(x) && (3..<7).contains(y)
                let p = img[x, y]
                if inside {
                    XCTAssertTrue(p == (10, 200, 30), "inside (\(x),\(y)) = \(p)")
                } else {
                    XCTAssertTrue(p == (255, 255, 255), "outside (\(x),\(y)) = \(p)")
                }
            }
        }
    }

    func testHalfTransparentFillIsUnpremultiplied() {
        let c = Canvas(width: 4, height: 4, background: CanvasColor(r: 0, g: 0, b: 0, a: 0))
        c.fillRect(x: 0, y: 0, width: 4, height: 4, color: CanvasColor(r: 1, g: 0.5, b: 0.25, a: 0.5))
        XCTAssertEqual(Double(c.alpha(x: 1, y: 1)), 127.5, accuracy: 1)
        let p = c.rgbImage()[1, 1]
        // Premultiplied storage would read back as about (128, 64, 32).
        XCTAssertEqual(Double(p.r), 255, accuracy: 1)
        XCTAssertEqual(Double(p.g), 127.5, accuracy: 1.5)
        XCTAssertEqual(Double(p.b), 63.75, accuracy: 1.5)
    }

    func testImageRoundTripsExactly() throws {
        let photo = try ImageDecoder.decode(contentsOf: Fixtures.url("jpeg_progressive_123x77.jpg"))
        XCTAssertEqual(Canvas(image: photo).rgbImage(), photo)
        let png = Canvas(image: photo).pngData()
        XCTAssertEqual(try ImageDecoder.decode(data: png, name: "canvas.png"), photo)
    }

    func testLineAndPolygonCoverTheirPixels() {
        let c = Canvas(width: 40, height: 40)
        c.strokeLine(from: (5, 20.5), to: (35, 20.5), color: .black, width: 3)
        c.fillPolygon([(0, 0), (10, 0), (0, 10)], color: CanvasColor(r: 0, g: 0, b: 1))
        let img = c.rgbImage()
        XCTAssertTrue(img[20, 20] == (0, 0, 0))
        XCTAssertTrue(img[20, 25] == (255, 255, 255))
        XCTAssertTrue(img[2, 2] == (0, 0, 255))
        XCTAssertTrue(img[9, 9] == (255, 255, 255))
    }

    func testDashedLineHasGaps() {
        let c = Canvas(width: 100, height: 10)
        c.strokeLine(from: (0, 5), to: (100, 5), color: .black, width: 2, dash: [10, 10])
        let row = (0..<100).map { c.rgbImage()[$0, 5].r }
        XCTAssertEqual(row[5], 0, "inside a dash")
        XCTAssertEqual(row[15], 255, "inside a gap")
        XCTAssertEqual(row[25], 0)
    }

    func testRoundedRectangleLeavesCornersOpen() {
        let c = Canvas(width: 40, height: 40)
        c.fillRoundedRect(x: 0, y: 0, width: 40, height: 40, radius: 12, color: .black)
        let img = c.rgbImage()
        XCTAssertTrue(img[0, 0] == (255, 255, 255), "corner is cut")
        XCTAssertTrue(img[20, 0] == (0, 0, 0), "edge middle is filled")
        XCTAssertTrue(img[20, 20] == (0, 0, 0))
    }

    /// Text changes pixels inside its measured box and nowhere else.
    func testTextStaysInsideItsBox() {
        let c = Canvas(width: 300, height: 80)
        let box = c.text("Quality 0.734", at: (20, 50), size: 24, weight: .bold, color: .black)
        let img = c.rgbImage()
        var inside = 0
        for y in 0..<80 {
            for x in 0..<300 where img[x, y] != (255, 255, 255) {
                let nearBox = Double(x) >= box.x - 2 && Double(x) <= box.x + box.width + 2
                    && Double(y) >= box.y - 2 && Double(y) <= box.y + box.height + 2
                XCTAssertTrue(nearBox, "ink at (\(x),\(y)) outside \(box)")
                if nearBox { inside += 1 }
            }
        }
        XCTAssertGreaterThan(inside, 300, "text drew hardly anything")
        XCTAssertEqual(box.width, c.measureText("Quality 0.734", size: 24, weight: .bold).width)
    }

    /// The toy API resolves "DejaVu Sans": advances equal the TTF's own
    /// (Pillow's FreeType getlength on DejaVuSans[-Bold].ttf at 100 px,
    /// summed glyph by glyph, since the toy API does not kern).
    func testFontIsDejaVuSans() {
        let c = Canvas(width: 10, height: 10)
        XCTAssertEqual(c.measureText("Quality 0.734", size: 100).width, 675.39, accuracy: 1)
        XCTAssertEqual(c.measureText("Frames: 50", size: 100).width, 563.66, accuracy: 1)
        XCTAssertEqual(c.measureText("Quality 0.734", size: 100, weight: .bold).width, 756.34, accuracy: 1)
        // Widths scale linearly (hinting off), which layouts rely on.
        XCTAssertEqual(c.measureText("Quality 0.734", size: 10).width, 67.539, accuracy: 0.1)
    }

    func testSideBySide() {
        let left = Canvas(width: 10, height: 10, background: CanvasColor(r: 1, g: 0, b: 0))
        let right = Canvas(width: 5, height: 20, background: CanvasColor(r: 0, g: 0, b: 1))
        let both = LineChart.sideBySide(left, right)
        XCTAssertEqual(both.width, 15)
        XCTAssertEqual(both.height, 20)
        let img = both.rgbImage()
        XCTAssertTrue(img[9, 9] == (255, 0, 0))
        XCTAssertTrue(img[9, 15] == (255, 255, 255), "below the shorter canvas is white")
        XCTAssertTrue(img[10, 0] == (0, 0, 255))
        XCTAssertTrue(img[14, 19] == (0, 0, 255))
    }
}
