/// Where everything of a `LineChart` goes on a canvas of a given size: the
/// font sizes, the plot rectangle and the data -> pixel mapping. Margins are
/// measured from the actual labels, so long tick labels or a stats box push
/// the plot inwards instead of being clipped.
struct ChartLayout {
    /// 1 at 900 x 600; fonts, paddings and line widths scale with it, but
    /// never below 0.7 (11 px tick labels), so small charts stay readable.
    let scale: Double
    let titleSize, labelSize, tickSize, legendSize, statsSize: Double
    let plotX, plotY, plotWidth, plotHeight: Double
    let xRange: ClosedRange<Double>
    let yRange: ClosedRange<Double>
    let xTicks: [Double]
    let yTicks: [Double]
    /// Top of the legend rows and their entries, each with its position.
    let legendRows: [[(x: Double, y: Double, index: Int)]]
    /// The statistics box, if any.
    let statsBox: (x: Double, y: Double, width: Double, height: Double)?
    /// Horizontal centre of the title: over the plot, unless that would push it off the canvas.
    let titleCenterX: Double

    /// Pixel column of data value `x`.
    func px(_ x: Double) -> Double {
        plotX + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotWidth
    }

    /// Pixel row of data value `y` (up is larger).
    func py(_ y: Double) -> Double {
        plotY + (1 - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)) * plotHeight
    }

    static let legendSwatch = 24.0, legendGap = 7.0, legendSpacing = 20.0

    init(chart: LineChart, canvas: Canvas) {
        let w = Double(canvas.width), h = Double(canvas.height)
        let s = max(0.7, min(w / 900, h / 600))
        scale = s
        let pad = 14 * s
        // A long title shrinks to fit the canvas rather than being cut off.
        let titleFull = 19 * s
        let titleWidth = chart.title.isEmpty ? 0 : canvas.measureText(chart.title, size: titleFull, weight: .bold).width
        let titleS = titleWidth > w - 2 * pad ? titleFull * (w - 2 * pad) / titleWidth : titleFull
        let labelS = 15 * s, tickS = 12.5 * s, legendS = 13 * s, statsS = 12.5 * s
        titleSize = titleS; labelSize = labelS; tickSize = tickS; legendSize = legendS; statsSize = statsS
        func width(_ t: String, _ size: Double, _ weight: TextWeight = .regular) -> Double {
            canvas.measureText(t, size: size, weight: weight).width
        }
        func lineHeight(_ size: Double) -> Double { canvas.measureText("Ag", size: size).height }

        yRange = chart.yRange.upperBound > chart.yRange.lowerBound ? chart.yRange : (chart.yRange.lowerBound - 0.5)...(chart.yRange.lowerBound + 0.5)
        xRange = chart.effectiveXRange
        yTicks = ChartTicks.values(in: yRange, target: 5)

        // Statistics panel on the right.
        var right = pad
        var statsWidth = 0.0
        if !chart.stats.isEmpty {
            let lines = [chart.statsTitle] + chart.stats
            statsWidth = lines.enumerated().map { width($1, statsS, $0 == 0 ? .bold : .regular) }.max()! + 2 * 10 * s
            right += statsWidth + 14 * s
        }
        // Left: y title, tick labels, tick marks.
        let yTickWidth = ChartTicks.labels(yTicks).map { width($0, tickS) }.max() ?? 0
        let left = pad + (chart.yLabel.isEmpty ? 0 : lineHeight(labelS) + 8 * s) + yTickWidth + 10 * s
        // x ticks depend on the plot width; the last label may stick out half its width.
        var plotW = w - left - right - 20 * s
        var ticks = ChartTicks.values(in: xRange, target: max(2, Int(plotW / (90 * s))))
        let lastHalf = (ChartTicks.labels(ticks).last.map { width($0, tickS) } ?? 0) / 2
        plotW = max(10, w - left - right - max(12 * s, lastHalf + 4 * s))
        ticks = ChartTicks.values(in: xRange, target: max(2, Int(plotW / (90 * s))))
        xTicks = ticks

        // Top: title, then the legend rows (wrapped to the plot width).
        var top = pad
        if !chart.title.isEmpty { top += lineHeight(titleS) + 8 * s }
        var rows: [[(x: Double, y: Double, index: Int)]] = []
        let named = chart.showLegend ? chart.series.indices.filter { !chart.series[$0].name.isEmpty } : []
        if !named.isEmpty {
            let rowHeight = lineHeight(legendS) + 4 * s
            var entries: [(width: Double, index: Int)] = named.map {
                ((ChartLayout.legendSwatch + ChartLayout.legendGap) * s + width(chart.series[$0].name, legendS), $0)
            }
            var rowWidths: [Double] = []
            var current: [(width: Double, index: Int)] = []
            var packed: [[(width: Double, index: Int)]] = []
            while !entries.isEmpty {
                let e = entries.removeFirst()
                let used = current.reduce(0) { $0 + $1.width } + Double(current.count) * ChartLayout.legendSpacing * s
                if !current.isEmpty && used + e.width > plotW {
                    packed.append(current); rowWidths.append(used - ChartLayout.legendSpacing * s); current = []
                }
                current.append(e)
            }
            packed.append(current)
            rowWidths.append(current.reduce(0) { $0 + $1.width } + Double(current.count - 1) * ChartLayout.legendSpacing * s)
            for (r, row) in packed.enumerated() {
                var x = left + (plotW - rowWidths[r]) / 2
                var placed: [(x: Double, y: Double, index: Int)] = []
                for e in row {
                    placed.append((x, top, e.index))
                    x += e.width + ChartLayout.legendSpacing * s
                }
                rows.append(placed)
                top += rowHeight
            }
            top += 6 * s
        }
        legendRows = rows
        top += 4 * s  // room for a line drawn exactly at the top value

        // Bottom: tick labels and x title.
        var bottom = pad + 6 * s + lineHeight(tickS)
        if !chart.xLabel.isEmpty { bottom += lineHeight(labelS) + 6 * s }

        plotX = left
        plotY = top
        let titleW = chart.title.isEmpty ? 0 : canvas.measureText(chart.title, size: titleS, weight: .bold).width
        titleCenterX = min(max(left + plotW / 2, pad + titleW / 2), w - pad - titleW / 2)
        plotWidth = plotW
        plotHeight = max(10, h - top - bottom)
        if !chart.stats.isEmpty {
            let count = Double(chart.stats.count + 1)
            statsBox = (left + plotW + 14 * s, top, statsWidth, count * lineHeight(statsS) * 1.25 + 2 * 8 * s)
        } else {
            statsBox = nil
        }
    }
}
