import Foundation
import XCTest
@testable import Imaging

/// Writes example pictures for a human to look at; runs only when
/// MIQA_DRAWING_PREVIEW names an output folder (MIQA_PREVIEW_PHOTOS may name
/// a folder with chelsea.png, astro200.png and coffee4000.jpg to badge).
final class DrawingPreviewTests: XCTestCase {
    func testWritePreviews() throws {
        guard let dir = ProcessInfo.processInfo.environment["MIQA_DRAWING_PREVIEW"] else {
            throw XCTSkip("set MIQA_DRAWING_PREVIEW to a folder to write preview PNGs")
        }
        let out = URL(fileURLWithPath: dir)
        if let photos = ProcessInfo.processInfo.environment["MIQA_PREVIEW_PHOTOS"] {
            for (file, score) in [("chelsea.png", 0.734), ("astro200.png", 0.21), ("coffee4000.jpg", 0.5)] {
                let img = try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: photos).appendingPathComponent(file))
                let badged = ScoreBadge.annotate(img, score: score)
                try ImageEncoder.png(badged).write(to: out.appendingPathComponent("badge_" + file + ".png"))
            }
        }
        let perSecond = DrawingSamples.perSecond
        let frames = DrawingSamples.frames
        var chart = LineChart(title: "Video Quality Analysis: demo.mp4, cls-oriented MIQA", xLabel: "Time (s)",
                              yLabel: "Quality score")
        chart.series = [
            .init(name: "Per-second mean", points: perSecond.map { ($0.t, $0.mean) }, color: .blue, width: 2.5,
                  markers: true, band: .init(lower: perSecond.map { $0.mean - $0.std }, upper: perSecond.map { $0.mean + $0.std })),
        ]
        let mean = perSecond.map(\.mean).reduce(0, +) / Double(perSecond.count)
        chart.referenceLines = [.init(y: mean, label: String(format: "Average: %.3f", mean))]
        chart.stats = ["Duration: 12.0 s", "Frames analysed: 50", "Seconds: 12",
                       "Score range: 0.312 - 0.918", "Std: 0.142"]
        let right = chart.render(width: 900, height: 600)
        try right.pngData().write(to: out.appendingPathComponent("chart_second.png"))
        var frameChart = LineChart(title: "Frame-level quality", xLabel: "Time (s)", yLabel: "Quality score")
        frameChart.series = [.init(name: "Frame score", points: frames, color: .orange, width: 1.5),
                             .init(name: "Smoothed", points: frames.map { ($0.x, min(1, $0.y + 0.05)) }, color: .purple,
                                   width: 2, dashed: true)]
        frameChart.referenceLines = [.init(y: 0.98, label: "Top: 0.980", color: .green)]
        let left = frameChart.render(width: 900, height: 600)
        try LineChart.sideBySide(left, right).pngData().write(to: out.appendingPathComponent("chart_both.png"))
        try chart.render(width: 360, height: 240).pngData().write(to: out.appendingPathComponent("chart_small.png"))
    }
}

/// Deterministic, video-like score curves for previews and tests.
enum DrawingSamples {
    static let perSecond: [(t: Double, mean: Double, std: Double)] = (0..<12).map { i in
        let t = Double(i)
        return (t, 0.62 + 0.25 * sin(t / 2.2) - 0.01 * t, 0.05 + 0.04 * abs(cos(t)))
    }
    static let frames: [(x: Double, y: Double)] = (0..<50).map { i in
        let t = Double(i) * 12.0 / 50.0
        return (t, min(1, max(0, 0.62 + 0.25 * sin(t / 2.2) + 0.08 * sin(Double(i) * 1.7))))
    }
}
