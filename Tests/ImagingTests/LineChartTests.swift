import Foundation
import XCTest
@testable import Imaging

final class LineChartTests: XCTestCase {
    private let blue = CanvasColor(r: 0, g: 0, b: 1)

    private func isBlue(_ p: (r: UInt8, g: UInt8, b: UInt8)) -> Bool { p.b > 200 && p.r < 80 && p.g < 80 }

    /// Lines pass through the pixels the layout maps the data points to.
    func testSeriesPointsLandWhereTheLayoutSays() {
        var chart = LineChart(title: "T", xLabel: "x", yLabel: "y")
        let points: [(x: Double, y: Double)] = [(0, 0.2), (5, 0.8), (10, 0.5)]
        chart.series = [.init(name: "s", points: points, color: blue, width: 4)]
        let canvas = chart.render(width: 600, height: 400)
        let img = canvas.rgbImage()
        let l = ChartLayout(chart: chart, canvas: Canvas(width: 600, height: 400))
        for p in points {
            XCTAssertTrue(isBlue(img[Int(l.px(p.x)), Int(l.py(p.y))]), "no line at \(p)")
        }
        XCTAssertFalse(isBlue(img[Int(l.px(5)), Int(l.py(0.2))]), "line where there is no data")
        XCTAssertFalse(isBlue(img[Int(l.px(0)), Int(l.py(0.9))]))
        // y range 0...1 by default: 0 at the bottom edge, 1 at the top edge of the plot.
        XCTAssertEqual(l.py(0), l.plotY + l.plotHeight, accuracy: 1e-9)
        XCTAssertEqual(l.py(1), l.plotY, accuracy: 1e-9)
    }

    func testBandIsTranslucentAndReferenceLineDashed() {
        var chart = LineChart()
        let xs = (0...10).map(Double.init)
        chart.series = [.init(name: "", points: xs.map { ($0, 0.5) }, color: blue, width: 2,
                              band: .init(lower: xs.map { _ in 0.3 }, upper: xs.map { _ in 0.7 }, opacity: 0.25))]
        chart.referenceLines = [.init(y: 0.1, label: "", color: CanvasColor(r: 1, g: 0, b: 0))]
        let img = chart.render(width: 500, height: 300).rgbImage()
        let l = ChartLayout(chart: chart, canvas: Canvas(width: 500, height: 300))
        // Inside the band, away from the line: light blue (25% blue over white).
        let inBand = img[Int(l.px(3)), Int(l.py(0.62))]
        XCTAssertEqual(Double(inBand.r), 0.75 * 255, accuracy: 3)
        XCTAssertEqual(Double(inBand.b), 255, accuracy: 1)
        XCTAssertTrue(img[Int(l.px(3)), Int(l.py(0.85))] == (255, 255, 255), "above the band is white")
        // The reference line alternates between red dashes and gaps.
        let row = Int(l.py(0.1))
        let reds = (Int(l.plotX) + 2..<Int(l.plotX + l.plotWidth) - 2).map { img[$0, row] }
            .map { $0.r > 200 && $0.g < 60 }
        XCTAssertGreaterThan(reds.filter { $0 }.count, reds.count / 4)
        XCTAssertGreaterThan(reds.filter { !$0 }.count, reds.count / 5)
    }

    func testStatsBoxAndLegendDoNotOverlapThePlot() {
        var chart = LineChart(title: "Video Quality Analysis: a_rather_long_video_name.mp4, cls-oriented MIQA",
                              xLabel: "Time (s)", yLabel: "Quality")
        chart.series = [.init(name: "Frame score", points: DrawingSamples.frames, color: .orange),
                        .init(name: "Per second", points: DrawingSamples.frames, color: .blue, dashed: true)]
        chart.stats = ["Duration: 12.0 s", "Frames: 50"]
        for (w, h) in [(900, 600), (480, 300), (1600, 500)] {
            let canvas = Canvas(width: w, height: h)
            let l = ChartLayout(chart: chart, canvas: canvas)
            let box = try! XCTUnwrap(l.statsBox)
            XCTAssertGreaterThan(box.x, l.plotX + l.plotWidth, "\(w)x\(h)")
            XCTAssertLessThanOrEqual(box.x + box.width, Double(w), "\(w)x\(h): stats box clipped")
            for row in l.legendRows { for e in row { XCTAssertLessThan(e.y, l.plotY) } }
            XCTAssertGreaterThan(l.plotWidth, 0.3 * Double(w))
            // The title fits the canvas.
            let tw = canvas.measureText(chart.title, size: l.titleSize, weight: .bold).width
            XCTAssertLessThanOrEqual(l.titleCenterX + tw / 2, Double(w))
            XCTAssertGreaterThanOrEqual(l.titleCenterX - tw / 2, 0)
        }
    }

    func testNiceTicks() {
        XCTAssertEqual(ChartTicks.values(in: 0...1, target: 5), [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        XCTAssertEqual(ChartTicks.labels(ChartTicks.values(in: 0...1, target: 5)), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        XCTAssertEqual(ChartTicks.values(in: 0...47, target: 5), [0, 10, 20, 30, 40])
        XCTAssertEqual(ChartTicks.labels([0, 10, 20]), ["0", "10", "20"])
    }

    func testEmptyAndDegenerateChartsRender() {
        XCTAssertEqual(LineChart().render(width: 200, height: 100).width, 200)
        var one = LineChart()
        one.series = [.init(name: "only", points: [(3, 0.5)], color: blue)]
        let img = one.render(width: 300, height: 200).rgbImage()
        let l = ChartLayout(chart: one, canvas: Canvas(width: 300, height: 200))
        XCTAssertTrue(isBlue(img[Int(l.px(3)), Int(l.py(0.5))]), "a single point is drawn as a dot")
        var nan = LineChart()
        nan.series = [.init(name: "", points: [(0, .nan), (1, 0.5), (.infinity, 1)], color: blue)]
        _ = nan.render(width: 100, height: 100)
    }
}
