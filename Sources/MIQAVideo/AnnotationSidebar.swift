import Foundation
import Imaging

/// The black panel drawn beside each frame of an annotated video: "Task: CLS", the current
/// score in its traffic-light colour, "Frame: i/N", and a line chart of the scores so far
/// (y from 0 to 1, x over the whole video so the line grows from left to right).
///
/// The chart is drawn incrementally: each new score adds one segment to a canvas that is kept
/// between frames, so a frame costs the same at the end of a long video as at its start.
public final class AnnotationSidebar {
    /// The panel's width in pixels (the original's 480).
    public static let standardWidth = 480

    public let width: Int
    public let height: Int
    private let canvas: Canvas
    private let task: String
    private let totalFrames: Int
    private let fontSize: Double
    private let textHeight: Double
    private let chart: (x: Double, y: Double, width: Double, height: Double)?
    private var lastPoint: (x: Double, y: Double)?

    /// - Parameters:
    ///   - height: the video's height (the panel is as tall as the frame).
    ///   - totalFrames: frames in the video (the chart's x extent and the "/N" of the counter).
    public init(width: Int = AnnotationSidebar.standardWidth, height: Int, task: String, totalFrames: Int) {
        self.width = width
        self.height = height
        self.task = task.uppercased()
        self.totalFrames = max(1, totalFrames)
        canvas = Canvas(width: width, height: height, background: .black)
        // Text scales with the video's height, within limits that keep it legible and inside
        // the panel (three lines must fit on a tiny 48 px test video).
        fontSize = min(28, max(7, Double(height) / 18))
        let margin = fontSize
        textHeight = margin * 0.6 + 3 * fontSize * 1.5
        let chartTop = textHeight + fontSize * 0.8
        let chartHeight = Double(height) - chartTop - fontSize * 1.8
        if chartHeight >= 40 {
            // Room on the left for the tick labels "0.0" ... "1.0".
            let labelWidth = canvas.measureText("0.0", size: fontSize * 0.7).width + 8
            let c = (x: margin + labelWidth, y: chartTop, width: Double(width) - 2 * margin - labelWidth, height: chartHeight)
            chart = c
            drawChartFrame(c)
        } else {
            chart = nil
        }
    }

    private func drawChartFrame(_ c: (x: Double, y: Double, width: Double, height: Double)) {
        let small = fontSize * 0.7
        for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let y = c.y + c.height * (1 - tick)
            canvas.strokeLine(from: (c.x, y), to: (c.x + c.width, y), color: CanvasColor(r: 1, g: 1, b: 1, a: tick == 0 ? 0.6 : 0.18),
                              width: 1)
            if tick == 0 || tick == 0.5 || tick == 1 {
                canvas.text(String(format: "%.1f", tick), at: (c.x - 6, y), size: small, color: .grey, align: .right,
                            baseline: .middle)
            }
        }
        canvas.strokeLine(from: (c.x, c.y), to: (c.x, c.y + c.height), color: CanvasColor(r: 1, g: 1, b: 1, a: 0.6), width: 1)
        canvas.text("Quality over time", at: (c.x + c.width / 2, c.y + c.height + 4), size: small, color: .grey,
                    align: .center, baseline: .top)
    }

    /// Records the score of frame `index` (0-based): extends the chart.
    public func add(score: Double, frame index: Int) {
        guard let c = chart, score.isFinite else { return }
        let x = c.x + c.width * Double(index) / Double(max(1, totalFrames - 1))
        let y = c.y + c.height * (1 - min(1, max(0, score)))
        let colour = ScoreColor.canvasColor(for: score)
        if let last = lastPoint {
            canvas.strokeLine(from: last, to: (x, y), color: colour, width: max(1.5, fontSize / 10))
        } else {
            canvas.fillCircle(center: (x, y), radius: max(1.5, fontSize / 10), color: colour)
        }
        lastPoint = (x, y)
    }

    /// The panel for frame `index` (0-based) showing `score` (nil before the first score).
    public func render(frame index: Int, score: Double?) -> RGBImage {
        canvas.fillRect(x: 0, y: 0, width: Double(width), height: textHeight, color: .black)
        let x = fontSize
        var y = fontSize * 0.6
        let step = fontSize * 1.5
        canvas.text("Task: \(task)", at: (x, y), size: fontSize, weight: .bold, color: .white, baseline: .top)
        y += step
        let value = score.map { String(format: "%.3f", $0) } ?? "-"
        canvas.text("Quality Score: \(value)", at: (x, y), size: fontSize, weight: .bold,
                    color: score.map { ScoreColor.canvasColor(for: $0) } ?? .grey, baseline: .top)
        y += step
        canvas.text("Frame: \(index + 1)/\(totalFrames)", at: (x, y), size: fontSize, color: .lightGrey, baseline: .top)
        return canvas.rgbImage()
    }
}
