import Foundation
import Imaging

/// Which time series a video chart shows (the original's `--viz-granularity`).
public enum ChartGranularity: String, CaseIterable, Sendable {
    /// Every sampled frame.
    case frame
    /// Per-second means with a ± std band.
    case second
    /// Both, side by side.
    case both

    /// The original's file-name suffix: `frame`, `second` or `comparison`.
    public var fileSuffix: String { self == .both ? "comparison" : rawValue }
}

/// The time-series chart of a video analysis, drawn with `LineChart`.
public enum VideoChart {
    static let frameColor = CanvasColor(rgb8: 46, 134, 171)
    static let secondColor = CanvasColor(rgb8: 162, 59, 114)
    static let averageColor = CanvasColor(rgb8: 241, 143, 1)

    /// The title the original uses: "Video Quality Analysis: <name>, <task>-oriented MIQA".
    public static func title(name: String, task: String) -> String {
        "Video Quality Analysis: \(name), \(task)-oriented MIQA"
    }

    /// The chart as a canvas (call `pngData()` to save it).
    public static func render(_ a: VideoAnalysis, task: String, granularity: ChartGranularity) -> Canvas {
        let title = title(name: a.name, task: task)
        switch granularity {
        case .frame: return chart(a, title: title, frames: true).render(width: 1400, height: 600)
        case .second: return chart(a, title: title, frames: false).render(width: 1400, height: 600)
        case .both:
            let left = chart(a, title: "Frame-Level Quality", frames: true).render(width: 1000, height: 560)
            let right = chart(a, title: "Per-Second Averaged Quality", frames: false).render(width: 1000, height: 560)
            let pair = LineChart.sideBySide(left, right)
            // The overall title above both panels, as the original's suptitle.
            let band = 56
            let out = Canvas(width: pair.width, height: pair.height + band, background: .white)
            out.text(title, at: (Double(pair.width) / 2, Double(band) / 2 + 4), size: 24, weight: .bold,
                     align: .center, baseline: .middle)
            out.draw(pair, atX: 0, y: Double(band))
            return out
        }
    }

    /// The stats box lines: duration, frames, seconds, score range, std (of the per-second means).
    static func stats(_ a: VideoAnalysis) -> [String] {
        [String(format: "Duration: %.1f s", a.info.duration),
         "Frames analysed: \(a.frames.count)",
         "Seconds: \(a.seconds.count)",
         String(format: "Score range: [%.2f, %.2f]", a.summary.min, a.summary.max),
         String(format: "Std dev: %.3f", a.summary.std)]
    }

    static func chart(_ a: VideoAnalysis, title: String, frames: Bool) -> LineChart {
        // The ± std band is cut at the axis limits, so it never spills over the plot's edge.
        // y is 0...1 as in the original, widened to whole numbers only when a (random or
        // untrained) model's scores leave that range, so no point is drawn off the chart.
        let values = a.frames.map(\.score).filter(\.isFinite)
        let low = Swift.min(0, (values.min() ?? 0).rounded(.down)), high = Swift.max(1, (values.max() ?? 1).rounded(.up))
        var chart = LineChart(title: title, xLabel: "Time (seconds)", yLabel: "Quality score", yRange: low...high)
        // The x axis spans the whole video, so a short analysed stretch is not stretched to fill it.
        let end = max(a.info.duration, (a.frames.map(\.timestamp).max() ?? 0), 1e-3)
        chart.xRange = 0...end
        if frames {
            chart.series = [.init(name: "Frame-level", points: a.frames.map { ($0.timestamp, $0.score) },
                                  color: frameColor, width: 1.8, markers: true)]
        } else {
            let points = a.seconds.map { (x: Double($0.second), y: $0.mean) }
            chart.series = [.init(name: "Per-second average (± std)", points: points, color: secondColor, width: 2.5,
                                  markers: true,
                                  band: .init(lower: a.seconds.map { Swift.max(low, $0.mean - $0.std) },
                                              upper: a.seconds.map { Swift.min(high, $0.mean + $0.std) }))]
        }
        chart.referenceLines = [.init(y: a.summary.average, label: String(format: "Average: %.2f", a.summary.average),
                                      color: averageColor)]
        chart.stats = stats(a)
        return chart
    }

    /// The original's file name: `<stem>_<label>_quality_<frame|second|comparison>.png`.
    public static func fileName(videoName: String, label: String, granularity: ChartGranularity) -> String {
        "\((videoName as NSString).deletingPathExtension)_\(label)_quality_\(granularity.fileSuffix).png"
    }
}
