import Foundation

/// How one machine's answer on a distorted image is turned into a number in 0...1, against its
/// own answer on the reference (consistency) or against the true class (accuracy).
///
/// With `p(x)` the machine's class probabilities, `c = argmax p(reference)` (ties: lowest index)
/// and `y` the true class:
///
/// | definition | consistency | accuracy |
/// |---|---|---|
/// | `probability` | `p(d)[c]` | `p(d)[y]` |
/// | `agreement` | `1[argmax p(d) = c]` | `1[argmax p(d) = y]` |
/// | `overlap` | `sum_k min(p(d)_k, p(r)_k)` | `p(d)[y]` (overlap with the one-hot truth) |
///
/// `agreement` and `overlap` are 1 for the reference itself, so a pristine photo is labelled at
/// the top of the scale whatever the machine's confidence; `probability` (the first labeller's
/// only definition) labels a photo the machines find ambiguous as "low quality" even when
/// pristine. docs/labels.md holds the study that chose the default.
public enum LabelDefinition: String, CaseIterable, Codable, Sendable {
    case probability
    case agreement
    case overlap

    /// The definition `miqa dataset label` uses unless told otherwise (docs/labels.md, "Choosing the label").
    public static let standard: LabelDefinition = .overlap

    /// consistency_m(d) of one machine.
    public func consistency(reference: [Double], distorted: [Double]) -> Double {
        let c = LabelFormulas.topClass(reference)
        switch self {
        case .probability: return distorted[c]
        case .agreement: return LabelFormulas.topClass(distorted) == c ? 1 : 0
        case .overlap:
            var sum = 0.0
            for k in distorted.indices { sum += Swift.min(distorted[k], reference[k]) }
            // Two distributions that sum to 1 overlap by at most 1; rounding may add an ulp.
            return Swift.min(1, sum)
        }
    }

    /// accuracy_m(d) of one machine, `trueClass` an index into `distorted`.
    public func accuracy(distorted: [Double], trueClass: Int) -> Double {
        switch self {
        case .probability, .overlap: return distorted[trueClass]
        case .agreement: return LabelFormulas.topClass(distorted) == trueClass ? 1 : 0
        }
    }
}
