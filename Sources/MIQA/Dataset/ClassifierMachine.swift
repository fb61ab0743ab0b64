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

    /// The classifiers that can serve as machines (installed with `miqa weights fetch NAME`).
    public static let knownNames = ["efficientnet_lite0", "efficientnet_lite1", "efficientnet_lite2", "mobilenet_v2"]

    /// Whether `name` (any spelling `ModelRegistry` accepts) is one of `knownNames`.
    public static func isKnown(_ name: String) -> Bool {
        ModelRegistry.canonicalName(name).map(knownNames.contains) ?? false
    }

    /// The installed classifiers of `names`, in order, named canonically.
    public static func installed(_ names: [String], store: ModelStore = ModelStore()) throws -> [ClassifierMachine] {
        try names.map { name in
            let p = try ModelResolver.resolve(model: name, task: "cls", label: "composite", weights: nil, store: store)
            return PredictorMachine(name: ModelRegistry.canonicalName(name) ?? name, predictor: p)
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
