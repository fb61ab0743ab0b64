/// Drawing a `LineChart`.
extension LineChart {
    /// The chart on a new white canvas of `width` x `height` pixels.
    public func render(width: Int, height: Int) -> Canvas {
        let canvas = Canvas(width: width, height: height, background: .white)
        let l = ChartLayout(chart: self, canvas: canvas)
        let s = l.scale
        drawFrame(canvas, l)
        canvas.clipped(x: l.plotX - 4 * s, y: l.plotY - 4 * s, width: l.plotWidth + 8 * s, height: l.plotHeight + 8 * s) {
            for series in self.series { drawBand(canvas, l, series) }
            for line in referenceLines {
                canvas.strokeLine(from: (l.plotX, l.py(line.y)), to: (l.plotX + l.plotWidth, l.py(line.y)),
                                  color: line.color, width: 1.6 * s, dash: [8 * s, 5 * s])
            }
            for series in self.series { drawSeries(canvas, l, series) }
        }
        for line in referenceLines { drawReferenceLabel(canvas, l, line) }
        drawLegend(canvas, l)
        drawStats(canvas, l)
        return canvas
    }

    private func drawFrame(_ c: Canvas, _ l: ChartLayout) {
        let s = l.scale
        if !title.isEmpty {
            c.text(title, at: (l.titleCenterX, 14 * s), size: l.titleSize, weight: .bold,
                   color: .black, align: .center, baseline: .top)
        }
        let right = l.plotX + l.plotWidth, bottom = l.plotY + l.plotHeight
        for (tick, label) in zip(l.yTicks, ChartTicks.labels(l.yTicks)) {
            let y = l.py(tick)
            c.strokeLine(from: (l.plotX, y), to: (right, y), color: .lightGrey, width: max(1, 0.8 * s))
            c.strokeLine(from: (l.plotX - 5 * s, y), to: (l.plotX, y), color: .darkGrey, width: max(1, s))
            c.text(label, at: (l.plotX - 8 * s, y), size: l.tickSize, color: .darkGrey, align: .right, baseline: .middle)
        }
        for (tick, label) in zip(l.xTicks, ChartTicks.labels(l.xTicks)) {
            let x = l.px(tick)
            c.strokeLine(from: (x, l.plotY), to: (x, bottom), color: CanvasColor.lightGrey.withAlpha(0.6), width: max(1, 0.8 * s))
            c.strokeLine(from: (x, bottom), to: (x, bottom + 5 * s), color: .darkGrey, width: max(1, s))
            c.text(label, at: (x, bottom + 7 * s), size: l.tickSize, color: .darkGrey, align: .center, baseline: .top)
        }
        c.strokeLine(from: (l.plotX, l.plotY), to: (l.plotX, bottom), color: .darkGrey, width: max(1, 1.2 * s))
        c.strokeLine(from: (l.plotX, bottom), to: (right, bottom), color: .darkGrey, width: max(1, 1.2 * s))
        if !xLabel.isEmpty {
            let tickLine = c.measureText("Ag", size: l.tickSize).height
            c.text(xLabel, at: (l.plotX + l.plotWidth / 2, bottom + 13 * s + tickLine), size: l.labelSize,
                   color: .black, align: .center, baseline: .top)
        }
        if !yLabel.isEmpty {
            let h = c.measureText("Ag", size: l.labelSize).height
            c.verticalText(yLabel, center: (14 * s + h / 2, l.plotY + l.plotHeight / 2), size: l.labelSize)
        }
    }

    private func finitePoints(_ series: Series) -> [(x: Double, y: Double)] {
        series.points.filter { $0.x.isFinite && $0.y.isFinite }
    }

    private func drawBand(_ c: Canvas, _ l: ChartLayout, _ series: Series) {
        guard let band = series.band else { return }
        let n = min(series.points.count, band.lower.count, band.upper.count)
        let idx = (0..<n).filter {
            series.points[$0].x.isFinite && band.lower[$0].isFinite && band.upper[$0].isFinite
        }
        guard idx.count >= 2 else { return }
        let upper = idx.map { (l.px(series.points[$0].x), l.py(band.upper[$0])) }
        let lower = idx.reversed().map { (l.px(series.points[$0].x), l.py(band.lower[$0])) }
        c.fillPolygon(upper + lower, color: series.color.withAlpha(band.opacity))
    }

    private func drawSeries(_ c: Canvas, _ l: ChartLayout, _ series: Series) {
        let s = l.scale
        let pts = finitePoints(series).map { (l.px($0.x), l.py($0.y)) }
        c.polyline(pts, color: series.color, width: series.width * s, dash: series.dashed ? [7 * s, 4 * s] : [])
        if series.markers || pts.count == 1 {
            for p in pts { c.fillCircle(center: p, radius: max(2, series.width * 1.6 * s), color: series.color) }
        }
    }

    /// Label at the right end, above the line (below it when the line is at the very top),
    /// on a translucent white patch so grid and data do not run through the text.
    private func drawReferenceLabel(_ c: Canvas, _ l: ChartLayout, _ line: ReferenceLine) {
        guard !line.label.isEmpty, line.y >= l.yRange.lowerBound, line.y <= l.yRange.upperBound else { return }
        let s = l.scale
        let m = c.measureText(line.label, size: l.tickSize, weight: .bold)
        let y = l.py(line.y)
        let above = y - m.height - 6 * s >= l.plotY
        let top = above ? y - m.height - 5 * s : y + 5 * s
        let x = l.plotX + l.plotWidth - 6 * s - m.width
        c.fillRoundedRect(x: x - 4 * s, y: top - 1 * s, width: m.width + 8 * s, height: m.height + 2 * s, radius: 3 * s,
                          color: CanvasColor.white.withAlpha(0.8))
        c.text(line.label, at: (x, top), size: l.tickSize, weight: .bold, color: line.color, baseline: .top)
    }

    private func drawLegend(_ c: Canvas, _ l: ChartLayout) {
        let s = l.scale
        for row in l.legendRows {
            for entry in row {
                let series = self.series[entry.index]
                let mid = entry.y + c.measureText("Ag", size: l.legendSize).height / 2
                let swatch = ChartLayout.legendSwatch * s
                if series.band != nil {
                    c.fillRect(x: entry.x, y: mid - 6 * s, width: swatch, height: 12 * s,
                               color: series.color.withAlpha(series.band!.opacity))
                }
                c.strokeLine(from: (entry.x, mid), to: (entry.x + swatch, mid), color: series.color,
                             width: series.width * s, dash: series.dashed ? [5 * s, 3 * s] : [])
                c.text(series.name, at: (entry.x + swatch + ChartLayout.legendGap * s, entry.y), size: l.legendSize,
                       color: .black, baseline: .top)
            }
        }
    }

    private func drawStats(_ c: Canvas, _ l: ChartLayout) {
        guard let box = l.statsBox else { return }
        let s = l.scale
        c.fillRoundedRect(x: box.x, y: box.y, width: box.width, height: box.height, radius: 6 * s,
                          color: CanvasColor(r: 0.96, g: 0.96, b: 0.97))
        c.strokeRoundedRect(x: box.x, y: box.y, width: box.width, height: box.height, radius: 6 * s,
                            color: .grey, lineWidth: max(1, s))
        let lineStep = c.measureText("Ag", size: l.statsSize).height * 1.25
        var y = box.y + 8 * s
        for (i, line) in ([statsTitle] + stats).enumerated() {
            c.text(line, at: (box.x + 10 * s, y), size: l.statsSize, weight: i == 0 ? .bold : .regular,
                   color: .black, baseline: .top)
            y += lineStep
        }
    }
}
