import Foundation
import XCTest
@testable import Imaging

final class ScoreBadgeTests: XCTestCase {
    private func hue(_ c: (r: Double, g: Double, b: Double)) -> Double {
        let mx = max(c.r, c.g, c.b), mn = min(c.r, c.g, c.b)
        guard mx > mn else { return 0 }
        if mx == c.r { return (60 * (c.g - c.b) / (mx - mn) + 360).truncatingRemainder(dividingBy: 360) }
        if mx == c.g { return 60 * (c.b - c.r) / (mx - mn) + 120 }
        return 60 * (c.r - c.g) / (mx - mn) + 240
    }

    /// Red -> yellow -> green over 0...1 (the original's 0...100 scaling made everything red).
    func testScoreColorsAreOrderedAndDistinct() {
        let low = ScoreColor.color(for: 0.2), mid = ScoreColor.color(for: 0.5), high = ScoreColor.color(for: 0.9)
        XCTAssertLessThan(hue(low) + 15, hue(mid), "0.2 must be clearly redder than 0.5")
        XCTAssertLessThan(hue(mid) + 30, hue(high), "0.9 must be clearly greener than 0.5")
        let red = ScoreColor.color(for: 0), yellow = ScoreColor.color(for: 0.5), green = ScoreColor.color(for: 1)
        XCTAssertTrue(red.r > 0.7 && red.g < 0.3 && red.b < 0.3, "\(red)")
        XCTAssertTrue(yellow.r > 0.8 && yellow.g > 0.7 && yellow.b < 0.3, "\(yellow)")
        XCTAssertTrue(green.g > green.r + 0.3 && green.g > green.b + 0.3, "\(green)")
    }

    func testScoreColorClampsAndHandlesNaN() {
        XCTAssertTrue(ScoreColor.color(for: -3) == ScoreColor.color(for: 0))
        XCTAssertTrue(ScoreColor.color(for: 7) == ScoreColor.color(for: 1))
        let nan = ScoreColor.color(for: .nan)
        XCTAssertTrue(nan.r == nan.g && nan.g == nan.b, "NaN is grey: \(nan)")
    }

    func testReadableTextColour() {
        XCTAssertEqual(ScoreColor.canvasColor(for: 0.5).readableTextColor, .black)
        XCTAssertEqual(CanvasColor(r: 0.1, g: 0.1, b: 0.5).readableTextColor, .white)
    }

    private func gradient(width: Int, height: Int) -> RGBImage {
        var img = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                img[x, y] = (UInt8(x * 255 / max(1, width - 1)), UInt8(y * 255 / max(1, height - 1)), 90)
            }
        }
        return img
    }

    private func layout(_ img: RGBImage, _ caption: String) -> ScoreBadge.Layout {
        let c = Canvas(width: 1, height: 1)
        return ScoreBadge.layout(for: caption, imageWidth: img.width, imageHeight: img.height) {
            c.measureText(caption, size: $0, weight: .bold).width
        }
    }

    /// Only the top-left badge area changes; inside it, the fill has the score colour.
    func testBadgeChangesOnlyTheTopLeftCorner() {
        let img = gradient(width: 400, height: 300)
        let out = ScoreBadge.annotate(img, score: 0.9)
        let l = layout(img, "Quality 0.900")
        var changedInside = 0
        for y in 0..<img.height {
            for x in 0..<img.width where out[x, y] != img[x, y] {
                let near = Double(x) >= l.x - 2 && Double(x) <= l.x + l.width + 2
                    && Double(y) >= l.y - 2 && Double(y) <= l.y + l.height + 2
                XCTAssertTrue(near, "pixel (\(x),\(y)) changed outside the badge")
                if near { changedInside += 1 }
            }
        }
        XCTAssertGreaterThan(Double(changedInside), 0.8 * l.width * l.height)
        let fill = ScoreColor.color(for: 0.9)
        let p = out[Int(l.x + l.width / 2), Int(l.y + 0.12 * l.fontSize + 1)]  // above the text, inside the rim
        XCTAssertEqual(Double(p.r), fill.r * 255, accuracy: 1.5)
        XCTAssertEqual(Double(p.g), fill.g * 255, accuracy: 1.5)
        XCTAssertEqual(Double(p.b), fill.b * 255, accuracy: 1.5)
    }

    func testBadgeScalesWithTheImage() {
        let small = layout(RGBImage(width: 200, height: 200), "Quality 0.734")
        XCTAssertGreaterThanOrEqual(small.fontSize, 12, "readable on 200 px")
        XCTAssertLessThanOrEqual(small.x + small.width, 200 * 0.96)
        let large = layout(RGBImage(width: 4000, height: 3000), "Quality 0.734")
        XCTAssertGreaterThan(large.fontSize, 100, "readable on 4000 px")
        XCTAssertLessThan(large.width, 4000 * 0.4)
        let narrow = layout(RGBImage(width: 120, height: 900), "Quality 0.734")
        XCTAssertLessThanOrEqual(narrow.x + narrow.width, 120 * 0.93, "shrinks to fit a narrow image")
    }

    func testCaption() {
        XCTAssertEqual(ScoreBadge.caption(score: 0.73449, label: "Quality"), "Quality 0.734")
        XCTAssertEqual(ScoreBadge.caption(score: .nan, label: "Quality"), "Quality n/a")
        XCTAssertEqual(ScoreBadge.caption(score: 0.5, label: ""), "0.500")
    }
}
