import Foundation

/// One scored frame of a video.
public struct FrameScore: Sendable, Equatable {
    /// Index of the frame in decoding (display) order, from 0.
    public var frameIndex: Int
    /// Seconds from the start of the video.
    public var timestamp: Double
    public var score: Double

    public init(frameIndex: Int, timestamp: Double, score: Double) {
        self.frameIndex = frameIndex; self.timestamp = timestamp; self.score = score
    }
}

/// The frames that fall within one whole second, summarised.
public struct SecondScore: Sendable, Equatable {
    /// `int(timestamp)` of the frames.
    public var second: Int
    /// Mean score of the frames.
    public var mean: Double
    public var min: Double
    public var max: Double
    /// Population standard deviation (numpy's `np.std`), 0 for a single frame.
    public var std: Double
    public var frameCount: Int
}

/// Video-level numbers over the per-second means (not over frames: each second weighs the same,
/// however many frames were sampled in it, as in the original).
public struct VideoSummary: Sendable, Equatable {
    public var average: Double
    public var min: Double
    public var max: Double
    public var std: Double
}

/// The original's per-second aggregation.
public enum SecondAggregation {
    /// Groups frames by `int(timestamp)` (truncation toward zero, as Python's `int`) and
    /// summarises each group; seconds in increasing order, seconds without frames left out.
    public static func perSecond(_ frames: [FrameScore]) -> [SecondScore] {
        var groups: [Int: [Double]] = [:]
        for f in frames { groups[Int(f.timestamp), default: []].append(f.score) }
        return groups.keys.sorted().map { second in
            let scores = groups[second]!
            let stats = Statistics(scores)
            return SecondScore(second: second, mean: stats.mean, min: stats.min, max: stats.max,
                               std: scores.count > 1 ? stats.std : 0, frameCount: scores.count)
        }
    }

    /// Mean, min, max and population std of the per-second means; nil when there are none.
    public static func summary(_ seconds: [SecondScore]) -> VideoSummary? {
        guard !seconds.isEmpty else { return nil }
        let stats = Statistics(seconds.map(\.mean))
        return VideoSummary(average: stats.mean, min: stats.min, max: stats.max, std: stats.std)
    }
}

/// Mean, extremes and population standard deviation of a non-empty list, two-pass like numpy.
struct Statistics {
    var mean: Double
    var min: Double
    var max: Double
    var std: Double

    init(_ values: [Double]) {
        precondition(!values.isEmpty)
        let n = Double(values.count)
        mean = values.reduce(0, +) / n
        min = values.min()!
        max = values.max()!
        let m = mean
        std = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n).squareRoot()
    }
}
