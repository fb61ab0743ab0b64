import Foundation

/// "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten.
enum ChartTicks {
    /// Tick values inside `range`, about `target` of them.
    static func values(in range: ClosedRange<Double>, target: Int) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let step = niceStep(span / Double(max(1, target)))
        let first = (range.lowerBound / step).rounded(.up) * step
        var ticks: [Double] = []
        var v = first
        // Tolerance so that an end exactly on a tick (1.0) is kept despite rounding.
        while v <= range.upperBound + step * 1e-9 {
            ticks.append(abs(v) < step * 1e-9 ? 0 : v)
            v = first + Double(ticks.count) * step
        }
        return ticks
    }

    static func niceStep(_ rough: Double) -> Double {
        let power = Foundation.pow(10, (log10(rough)).rounded(.down))
        let f = rough / power
        let nice: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
        return nice * power
    }

    /// Labels with just enough decimals to tell neighbouring ticks apart.
    static func labels(_ ticks: [Double]) -> [String] {
        guard ticks.count > 1 else { return ticks.map { String(format: "%g", $0) } }
        let step = abs(ticks[1] - ticks[0])
        let decimals = max(0, Int((-log10(step)).rounded(.up)))
        return ticks.map { String(format: "%.\(decimals)f", $0) }
    }
}
