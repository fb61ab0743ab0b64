import Foundation

/// Turns per-machine probabilities into `MMOSRow`s (separate from the labeller so the formulas
/// can be checked on hand-made probabilities).
public enum LabelTable {
    /// - Parameters:
    ///   - images: the distorted images (relative to `images/`), one row each.
    ///   - probabilities: `[machine][image]`, image 0 the reference, then `images` in order.
    ///   - trueClass: ground truth, or nil for empty accuracy columns.
    ///   - definition: how each machine's answer becomes a number.
    public static func rows(images: [String], probabilities: [[[Double]]], trueClass: Int?, weights: [Double],
                            definition: LabelDefinition) throws -> [MMOSRow] {
        guard probabilities.allSatisfy({ $0.count == images.count + 1 }) else {
            throw DatasetError.missing("internal: expected \(images.count + 1) probability rows per machine")
        }
        return images.enumerated().map { i, image in
            let cons = probabilities.map { definition.consistency(reference: $0[0], distorted: $0[i + 1]) }
            let c = LabelFormulas.combine(cons, weights: weights)
            var row = MMOSRow(image: image, weightedConsistency: c.weighted, weightedAccuracy: nil,
                              meanConsistency: c.mean, stdConsistency: c.std, meanAccuracy: nil, stdAccuracy: nil)
            if let trueClass {
                let acc = probabilities.map { definition.accuracy(distorted: $0[i + 1], trueClass: trueClass) }
                let a = LabelFormulas.combine(acc, weights: weights)
                row.weightedAccuracy = a.weighted
                row.meanAccuracy = a.mean
                row.stdAccuracy = a.std
            }
            return row
        }
    }
}
