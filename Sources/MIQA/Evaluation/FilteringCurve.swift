import Foundation

/// The arithmetic of the paper's filtering test: rank images by a quality key, drop the lowest
/// fraction, and average what a machine achieves on the images that remain.
public enum FilteringCurve {
    /// The paper's drop fractions: 0, 0.1, ..., 0.7.
    public static let defaultFractions: [Double] = (0...7).map { Double($0) / 10 }

    /// How many of `count` images dropping the fraction `p` removes: `floor(p * count)`, with a
    /// tolerance so that 0.7 * 10 (= 7.000000000000001 or 6.999... in binary) drops exactly 7.
    public static func dropCount(fraction p: Double, of count: Int) -> Int {
        min(count, max(0, Int((p * Double(count) + 1e-9).rounded(.down))))
    }

    /// The order in which images are dropped: ascending key, ties broken by position (so the
    /// result does not depend on the sort algorithm).
    public static func dropOrder(keys: [Double]) -> [Int] {
        keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
    }

    /// The mean of `outcome` over the images kept at each fraction, dropping the lowest `keys`
    /// first. A fraction that would drop every image gives NaN.
    public static func keptMeans(keys: [Double], outcome: [Double], fractions: [Double]) -> [Double] {
        precondition(keys.count == outcome.count, "one key per outcome")
        let order = dropOrder(keys: keys)
        // Suffix sums over the drop order: kept(k) = sum of outcome[order[k...]].
        var suffix = [Double](repeating: 0, count: order.count + 1)
        for k in stride(from: order.count - 1, through: 0, by: -1) { suffix[k] = suffix[k + 1] + outcome[order[k]] }
        return fractions.map { p in
            let k = dropCount(fraction: p, of: keys.count)
            let kept = keys.count - k
            return kept == 0 ? .nan : suffix[k] / Double(kept)
        }
    }

    /// Random dropping, in expectation: a uniformly random subset of any size has the overall
    /// mean as its expected mean, so the random baseline is flat at the mean (exactly, with no
    /// sampling noise to mistake for an effect).
    public static func randomMeans(outcome: [Double], fractions: [Double]) -> [Double] {
        let mean = outcome.isEmpty ? Double.nan : outcome.reduce(0, +) / Double(outcome.count)
        return fractions.map { dropCount(fraction: $0, of: outcome.count) == outcome.count ? .nan : mean }
    }
}
