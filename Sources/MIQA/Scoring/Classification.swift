import Foundation
import Imaging

/// Top-k ImageNet classes from a classifier's logits.
public enum Classification {
    /// Softmax probabilities of one image, highest first.
    public static func topK(predictor: Predictor, imageAt url: URL, k: Int) throws -> [(index: Int, probability: Float)] {
        let image = try ImageDecoder.decode(contentsOf: url)
        let logits = predictor.run([predictor.prepare(image)]).values
        return topK(logits: logits, k: k)
    }

    /// Softmax over `logits` (in double, for stable small probabilities) and the `k` largest.
    public static func topK(logits: [Float], k: Int) -> [(index: Int, probability: Float)] {
        let m = Double(logits.max() ?? 0)
        let e = logits.map { exp(Double($0) - m) }
        let z = e.reduce(0, +)
        return e.enumerated().sorted { $0.element > $1.element }.prefix(k).map { ($0.offset, Float($0.element / z)) }
    }
}
