import Foundation

/// The pieces shared by every label definition (`LabelDefinition` holds the per-machine
/// formulas; docs/labels.md explains the choices):
/// - the top class (ties: lowest index);
/// - over machines: `weighted = sum(w_m v_m) / sum(w_m)`, `mean`, and the population standard
///   deviation (divide by the number of machines, NumPy's default).
public enum LabelFormulas {
    /// Index of the largest probability (the lowest index among equal maxima).
    public static func topClass(_ p: [Double]) -> Int {
        var best = 0
        for i in p.indices where p[i] > p[best] { best = i }
        return best
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
