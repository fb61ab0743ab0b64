import Foundation

/// Count, mean, min, max, standard deviation and the 3 best and worst images, updated one
/// result at a time (Welford's method), so a summary of a million images needs no list of them.
public struct RunningSummary {
    public private(set) var total = 0
    public private(set) var scored = 0
    private var mean = 0.0
    private var m2 = 0.0
    private var minimum = Double.infinity
    private var maximum = -Double.infinity
    private var best: [(String, Double)] = []
    private var worst: [(String, Double)] = []

    public init() {}

    public mutating func add(_ r: ImageScore) {
        total += 1
        guard let s = r.score.map(Double.init), s.isFinite else { return }
        scored += 1
        let delta = s - mean
        mean += delta / Double(scored)
        m2 += delta * (s - mean)
        minimum = min(minimum, s)
        maximum = max(maximum, s)
        best = Array((best + [(r.name, s)]).sorted { $0.1 > $1.1 }.prefix(3))
        worst = Array((worst + [(r.name, s)]).sorted { $0.1 < $1.1 }.prefix(3))
    }

    /// Population standard deviation (numpy's default, as the original prints).
    public var standardDeviation: Double { scored > 0 ? (m2 / Double(scored)).squareRoot() : 0 }
    public var average: Double { mean }

    public func lines() -> [String] {
        var lines = ["", "scored \(scored) of \(total) image(s)" + (scored < total ? ", \(total - scored) failed" : "")]
        guard scored > 0 else { return lines }
        lines.append(String(format: "mean %.4f  min %.4f  max %.4f  std %.4f", mean, minimum, maximum, standardDeviation))
        func list(_ xs: [(String, Double)]) -> String { xs.map { "\($0.0) (\(String(format: "%.4f", $0.1)))" }.joined(separator: ", ") }
        lines.append("best:  " + list(best))
        lines.append("worst: " + list(worst))
        return lines
    }
}
