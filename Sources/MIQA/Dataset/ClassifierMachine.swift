import Foundation
import Imaging
import Tensor

/// A downstream classifier ("machine") whose responses become labels: images in, one
/// probability vector over the classes per image out.
///
/// The labeller only needs this, so tests can hand it exact probabilities and any model can be
/// plugged in. Implementations are called from one thread at a time.
public protocol ClassifierMachine: AnyObject {
    /// Name used in messages (e.g. `efficientnet_lite0`).
    var name: String { get }
    /// Class probabilities (each row sums to 1) of each image, in order.
    func probabilities(_ images: [RGBImage]) throws -> [[Double]]
}

/// An installed ImageNet classifier (`Predictor`) as a machine: its own preprocessing, then a
/// softmax over the logits (in double precision, like `Classification.topK`).
public final class PredictorMachine: ClassifierMachine {
    public let name: String
    let predictor: Predictor

    public init(name: String, predictor: Predictor) {
        self.name = name
        self.predictor = predictor
    }

    public func probabilities(_ images: [RGBImage]) throws -> [[Double]] {
        guard !images.isEmpty else { return [] }
        let samples = images.map(predictor.prepare)
        let out = predictor.run(samples)
        let k = out.count / images.count
        return (0..<images.count).map { i in
            PredictorMachine.softmax(Array(UnsafeBufferPointer(start: out.data + i * k, count: k)))
        }
    }

    /// Softmax in double, shifted by the maximum so that large logits cannot overflow.
    public static func softmax(_ logits: [Float]) -> [Double] {
        let m = Double(logits.max() ?? 0)
        let e = logits.map { exp(Double($0) - m) }
        let z = e.reduce(0, +)
        return e.map { $0 / z }
    }
}
