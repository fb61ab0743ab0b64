/// A line chart: one or more series over a shared x axis, optional ± bands,
/// horizontal reference lines, a legend and a box of summary statistics.
/// Draw it with `render(width:height:)`.
///
/// ```swift
/// var chart = LineChart(title: "Video Quality Analysis: clip.mp4", xLabel: "Time (s)", yLabel: "Quality")
/// chart.series = [.init(name: "Per second", points: perSecond, color: .blue, band: .init(lower: lo, upper: hi))]
/// chart.referenceLines = [.init(y: mean, label: "Average: 0.734")]
/// chart.stats = ["Duration: 12.0 s", "Frames: 50"]
/// let png = chart.render(width: 1000, height: 600).pngData()
/// ```
public struct LineChart {
    /// One line.
    public struct Series {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var color: CanvasColor
        /// Line width in pixels at the reference chart size (600 px tall); scaled with the chart.
        public var width: Double
        public var dashed: Bool
        /// Draws a dot on every point as well.
        public var markers: Bool
        /// A shaded region around the line, e.g. mean ± standard deviation.
        public var band: Band?

        public init(name: String, points: [(x: Double, y: Double)], color: CanvasColor, width: Double = 2,
                    dashed: Bool = false, markers: Bool = false, band: Band? = nil) {
            self.name = name; self.points = points; self.color = color; self.width = width
            self.dashed = dashed; self.markers = markers; self.band = band
        }
    }

    /// Lower and upper edge of a band, one value per point of its series.
    public struct Band {
        public var lower: [Double]
        public var upper: [Double]
        /// Opacity of the fill (in the series' colour).
        public var opacity: Double

        public init(lower: [Double], upper: [Double], opacity: Double = 0.2) {
            self.lower = lower; self.upper = upper; self.opacity = opacity
        }
    }

    /// A dashed horizontal line across the plot with a label at its right end.
    public struct ReferenceLine {
        public var y: Double
        public var label: String
        public var color: CanvasColor

        public init(y: Double, label: String, color: CanvasColor = .red) {
            self.y = y; self.label = label; self.color = color
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// Visible y values; scores are 0...1.
    public var yRange: ClosedRange<Double>
    /// Visible x values; nil fits the data.
    public var xRange: ClosedRange<Double>?
    public var series: [Series]
    public var referenceLines: [ReferenceLine]
    /// Lines of the statistics box shown right of the plot; empty for none.
    public var stats: [String]
    /// Title of the statistics box.
    public var statsTitle: String
    public var showLegend: Bool

    public init(title: String = "", xLabel: String = "", yLabel: String = "", yRange: ClosedRange<Double> = 0...1,
                xRange: ClosedRange<Double>? = nil, series: [Series] = [], referenceLines: [ReferenceLine] = [],
                stats: [String] = [], statsTitle: String = "Statistics", showLegend: Bool = true) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.yRange = yRange
        self.xRange = xRange; self.series = series; self.referenceLines = referenceLines
        self.stats = stats; self.statsTitle = statsTitle; self.showLegend = showLegend
    }

    /// Two rendered charts (or any canvases) next to each other.
    public static func sideBySide(_ left: Canvas, _ right: Canvas) -> Canvas {
        Canvas.sideBySide(left, right)
    }

    /// The x range drawn: `xRange`, or the data's extent (widened when flat).
    var effectiveXRange: ClosedRange<Double> {
        if let xRange, xRange.upperBound > xRange.lowerBound { return xRange }
        let xs = series.flatMap { $0.points.map(\.x) }.filter(\.isFinite)
        guard let lo = xs.min(), let hi = xs.max() else { return 0...1 }
        return lo < hi ? lo...hi : (lo - 0.5)...(hi + 0.5)
    }
}
