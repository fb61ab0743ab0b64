import Foundation

/// Darknet's `do_nms_sort`: class by class, candidates ordered by that class's probability
/// (highest first); each one still non-zero zeroes the class's probability of every later
/// candidate overlapping it by IoU above `threshold`. Other classes are untouched, so one box
/// can survive for one class and be suppressed for another.
public enum NonMaximumSuppression {
    public static func apply(_ candidates: [Candidate], classes: Int, threshold: Float) -> [Candidate] {
        var result = candidates.filter { $0.objectness != 0 }
        for k in 0..<classes {
            let order = result.indices.filter { result[$0].probabilities[k] > 0 }
                .sorted { result[$0].probabilities[k] > result[$1].probabilities[k] }
            for (i, a) in order.enumerated() where result[a].probabilities[k] > 0 {
                for b in order[(i + 1)...] where result[b].probabilities[k] > 0 && result[a].box.iou(result[b].box) > threshold {
                    result[b].probabilities[k] = 0
                }
            }
        }
        return result
    }
}
