import Foundation
import Imaging

/// Predictions (x) against ground-truth labels (y) of an evaluation, drawn with `Canvas`: grid,
/// ticks, axis titles, translucent points (more transparent the more points there are, so dense
/// regions read as darker), the fitted 4-parameter logistic curve, the y = x line, a legend, and a
/// title with SRCC / PLCC / KRCC / RMSE.
public struct ScatterPlot {
    /// What is plotted.
    public var result: EvaluationResult
    /// Bold first line.
    public var title: String
    /// Axis titles.
    public var xLabel = "Predicted score"
    /// See `xLabel`.
    public var yLabel: String

    /// A plot of `result`.
    public init(result: EvaluationResult, title: String, yLabel: String = "Ground-truth label") {
        self.result = result
        self.title = title
        self.yLabel = yLabel
    }

    static let pointColor = CanvasColor(rgb8: 31, 119, 180)
    static let curveColor = CanvasColor(rgb8: 214, 39, 40)

    /// Draws the plot on a `width` x `height` canvas (sizes of text and margins scale with height).
    public func render(width: Int = 960, height: Int = 760) -> Canvas {
        let canvas = Canvas(width: width, height: height)
        let s = Double(height) / 760
        let xs = result.scored.map { $0.prediction! }, ys = result.scored.map(\.label)
        let left = 92 * s, right = Double(width) - 32 * s, top = 92 * s, bottom = Double(height) - 78 * s
        let xr = Self.range(xs), yr = Self.range(ys)
        func px(_ x: Double) -> Double { left + (x - xr.lowerBound) / (xr.upperBound - xr.lowerBound) * (right - left) }
        func py(_ y: Double) -> Double { bottom - (y - yr.lowerBound) / (yr.upperBound - yr.lowerBound) * (bottom - top) }

        // Title and the metrics line.
        canvas.text(title, at: (Double(width) / 2, 20 * s), size: 21 * s, weight: .bold, align: .center, baseline: .top)
        let m = result.overall
        func f(_ v: Double) -> String { v.isFinite ? String(format: "%.4f", v) : "n/a" }
        var subtitle = "SRCC \(f(m.srcc))   PLCC \(f(m.plcc))   KRCC \(f(m.krcc))   RMSE \(f(m.rmse))   n = \(m.count)"
        if result.fittedPLCC.isFinite { subtitle += "   (fitted PLCC \(f(result.fittedPLCC)))" }
        canvas.text(subtitle, at: (Double(width) / 2, 52 * s), size: 15 * s, color: .darkGrey, align: .center, baseline: .top)

        // Grid, ticks and tick labels.
        let xTicks = Self.ticks(xr), yTicks = Self.ticks(yr)
        let xTickLabels = Self.labels(xTicks), yTickLabels = Self.labels(yTicks)
        for (t, label) in zip(xTicks, xTickLabels) {
            canvas.strokeLine(from: (px(t), top), to: (px(t), bottom), color: .lightGrey, width: 1 * s)
            canvas.strokeLine(from: (px(t), bottom), to: (px(t), bottom + 6 * s), color: .darkGrey, width: 1.2 * s)
            canvas.text(label, at: (px(t), bottom + 10 * s), size: 13 * s, color: .darkGrey, align: .center, baseline: .top)
        }
        for (t, label) in zip(yTicks, yTickLabels) {
            canvas.strokeLine(from: (left, py(t)), to: (right, py(t)), color: .lightGrey, width: 1 * s)
            canvas.strokeLine(from: (left - 6 * s, py(t)), to: (left, py(t)), color: .darkGrey, width: 1.2 * s)
            canvas.text(label, at: (left - 10 * s, py(t)), size: 13 * s, color: .darkGrey, align: .right, baseline: .middle)
        }
        canvas.text(xLabel, at: ((left + right) / 2, Double(height) - 16 * s), size: 15 * s, align: .center, baseline: .bottom)
        canvas.verticalText(yLabel, center: (22 * s, (top + bottom) / 2), size: 15 * s)

        // y = x (drawn over the points) shows calibration: how far raw scores sit from the labels,
        // which is what the RMSE measures. Drawn only where the two ranges overlap, and left out of
        // the legend when they do not.
        let lo = max(xr.lowerBound, yr.lowerBound), hi = min(xr.upperBound, yr.upperBound)
        canvas.clipped(x: left, y: top, width: right - left, height: bottom - top) {
            // Alpha falls with the number of points so that 250,000 points do not become one blot.
            let alpha = min(0.75, max(0.04, 30 / Double(max(1, xs.count)).squareRoot()))
            let radius = (xs.count > 20_000 ? 1.6 : 2.6) * s
            let color = Self.pointColor.withAlpha(alpha)
            for i in xs.indices { canvas.fillCircle(center: (px(xs[i]), py(ys[i])), radius: radius, color: color) }
            if lo < hi {
                canvas.strokeLine(from: (px(lo), py(lo)), to: (px(hi), py(hi)), color: .grey, width: 1.5 * s, dash: [7 * s, 5 * s])
            }
            if let fit = result.logistic {
                let steps = 200
                let curve = (0...steps).map { k -> (x: Double, y: Double) in
                    let x = xr.lowerBound + (xr.upperBound - xr.lowerBound) * Double(k) / Double(steps)
                    return (px(x), py(fit(x)))
                }
                canvas.polyline(curve, color: Self.curveColor, width: 2.5 * s)
            }
        }
        canvas.strokeRoundedRect(x: left, y: top, width: right - left, height: bottom - top, radius: 0, color: .darkGrey, lineWidth: 1.2 * s)
        drawLegend(on: canvas, x: left + 14 * s, y: top + 14 * s, scale: s, hasFit: result.logistic != nil, hasDiagonal: lo < hi)
        return canvas
    }

    private func drawLegend(on canvas: Canvas, x: Double, y: Double, scale s: Double, hasFit: Bool, hasDiagonal: Bool) {
        var entries: [(String, (Double, Double) -> Void)] = [
            ("images", { cx, cy in canvas.fillCircle(center: (cx, cy), radius: 4 * s, color: Self.pointColor.withAlpha(0.8)) }),
        ]
        if hasFit {
            entries.append(("logistic fit", { cx, cy in
                canvas.strokeLine(from: (cx - 12 * s, cy), to: (cx + 12 * s, cy), color: Self.curveColor, width: 2.5 * s)
            }))
        }
        if hasDiagonal {
            entries.append(("y = x", { cx, cy in
                canvas.strokeLine(from: (cx - 12 * s, cy), to: (cx + 12 * s, cy), color: .grey, width: 1.5 * s, dash: [5 * s, 3 * s])
            }))
        }
        let textWidth = entries.map { canvas.measureText($0.0, size: 13 * s).width }.max() ?? 0
        let lineHeight = 22 * s
        canvas.fillRoundedRect(x: x, y: y, width: textWidth + 56 * s, height: Double(entries.count) * lineHeight + 12 * s,
                               radius: 5 * s, color: CanvasColor.white.withAlpha(0.88))
        canvas.strokeRoundedRect(x: x, y: y, width: textWidth + 56 * s, height: Double(entries.count) * lineHeight + 12 * s,
                                 radius: 5 * s, color: .lightGrey, lineWidth: 1 * s)
        for (i, entry) in entries.enumerated() {
            let cy = y + 6 * s + lineHeight * (Double(i) + 0.5)
            entry.1(x + 22 * s, cy)
            canvas.text(entry.0, at: (x + 42 * s, cy), size: 13 * s, color: .darkGrey, baseline: .middle)
        }
    }

    /// The data's extent padded by 4% on each side (a unit range around a constant or empty input).
    static func range(_ v: [Double]) -> ClosedRange<Double> {
        let finite = v.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return 0...1 }
        if hi - lo < 1e-12 { return (lo - 0.5)...(hi + 0.5) }
        let pad = (hi - lo) * 0.04
        return (lo - pad)...(hi + pad)
    }

    /// About six ticks at steps of 1, 2 or 5 times a power of ten, inside `r`.
    static func ticks(_ r: ClosedRange<Double>) -> [Double] {
        let rough = (r.upperBound - r.lowerBound) / 6
        let power = pow(10, floor(log10(rough)))
        let f = rough / power
        let step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power
        var out: [Double] = []
        var k = (r.lowerBound / step).rounded(.up)
        while k * step <= r.upperBound + step * 1e-9 {
            out.append(abs(k * step) < step * 1e-9 ? 0 : k * step)
            k += 1
        }
        return out
    }

    /// Tick labels with just enough decimals for the step.
    static func labels(_ ticks: [Double]) -> [String] {
        guard ticks.count > 1 else { return ticks.map { String(format: "%g", $0) } }
        let decimals = max(0, Int((-log10(abs(ticks[1] - ticks[0]))).rounded(.up)))
        return ticks.map { String(format: "%.\(decimals)f", $0) }
    }
}
