import Foundation

/// Our per-machine label formulas for classification, and how machines are combined
/// (docs/labels.md explains the choices).
///
/// For machine m with class probabilities `p_m(x)`:
/// - consistency_m(d) = `p_m(d)[c_m]`, with `c_m = argmax p_m(reference)` (ties: lowest index):
///   the probability the machine still gives, on the distorted image, to the class it predicts
///   on the reference;
/// - accuracy_m(d) = `p_m(d)[y]`, y the reference's ground-truth class;
/// - over machines: `weighted = sum(w_m v_m) / sum(w_m)`, `mean`, and the population standard
///   deviation (divide by the number of machines, NumPy's default).
public enum LabelFormulas {
    /// Index of the largest probability (the lowest index among equal maxima).
    public static func topClass(_ p: [Double]) -> Int {
        var best = 0
        for i in p.indices where p[i] > p[best] { best = i }
        return best
    }

    /// consistency_m(d): probability of the reference's top-1 class on the distorted image.
    public static func consistency(reference: [Double], distorted: [Double]) -> Double {
        distorted[topClass(reference)]
    }

    /// accuracy_m(d): probability of the true class on the distorted image.
    public static func accuracy(distorted: [Double], trueClass: Int) -> Double {
        distorted[trueClass]
    }

    /// Weighted average, mean and population standard deviation of per-machine values.
    public static func combine(_ values: [Double], weights: [Double]) -> (weighted: Double, mean: Double, std: Double) {
        precondition(values.count == weights.count && !values.isEmpty, "one weight per value")
        let wsum = weights.reduce(0, +)
        let weighted = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } / wsum
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (weighted, mean, variance.squareRoot())
    }
}
