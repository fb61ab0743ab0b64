import Foundation
@testable import Imaging

/// Deterministic, video-like score curves for the chart tests.
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
