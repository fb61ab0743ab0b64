import Foundation

/// How the predictor scores clean photos relative to their own distorted versions: a user
/// reads a low score on a pristine photo as "this photo is bad", so clean references should
/// score near the top of what their distortions get.
public struct CleanScoreSummary: Sendable {
    /// Number of references.
    public var references: Int
    /// Median score of the clean references.
    public var medianCleanScore: Double
    /// Median over references of the clean score's percentile among its distorted versions
    /// (the fraction of them scoring strictly lower, ties counted half).
    public var medianPercentile: Double
    /// Fraction of distorted images that score higher than their own clean reference.
    public var distortedAboveClean: Double

    /// Summarises `samples` (grouped by `referenceID`); nil without samples.
    public init?(samples: [FilteringSample]) {
        guard !samples.isEmpty else { return nil }
        var groups: [String: (clean: Double, scores: [Double])] = [:]
        for s in samples { groups[s.referenceID, default: (s.referenceScore, [])].scores.append(s.score) }
        let percentiles = groups.values.map { g -> Double in
            let below = g.scores.filter { $0 < g.clean }.count, ties = g.scores.filter { $0 == g.clean }.count
            return (Double(below) + 0.5 * Double(ties)) / Double(g.scores.count)
        }
        references = groups.count
        medianCleanScore = Self.median(groups.values.map(\.clean))
        medianPercentile = Self.median(percentiles)
        distortedAboveClean = Double(samples.filter { $0.score > $0.referenceScore }.count) / Double(samples.count)
    }

    /// The median (mean of the two middle values for an even count), as numpy.median.
    static func median(_ values: [Double]) -> Double {
        let v = values.sorted()
        guard !v.isEmpty else { return .nan }
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }
}
