import Foundation
import Imaging
import Tensor

/// A loaded model with the views it reads: decoded images in, one output row per image out.
/// Load once, call from one thread at a time (kernels parallelise internally).
public final class Predictor {
    public let model: Model
    /// How images become this model's input views (a value that decoding threads can share).
    public let preparation: ViewPreparation
    public var views: [InputView] { preparation.views }
    /// What this predictor is (name, task, label), for reports.
    public let card: ModelCard

    public init(model: Model, card: ModelCard) {
        self.model = model
        self.card = card
        self.preparation = ViewPreparation(views: InputView.views(for: model.config))
    }

    /// Preprocesses one image into each view's channels-last floats (`ViewPreparation.prepare`).
    public func prepare(_ image: RGBImage) -> [[Float]] { preparation.prepare(image) }

    /// Throws when a view's resize of `image` cannot be done (`ViewPreparation.validate`).
    public func validate(_ image: RGBImage) throws { try preparation.validate(image) }

    /// Runs the model on prepared samples (each from `prepare`), returning `[B, outputs]`.
    public func run(_ samples: [[[Float]]]) -> Tensor {
        precondition(!samples.isEmpty, "empty batch")
        let batch = samples.count
        let tensors: [Tensor] = views.enumerated().map { v, view in
            let per = view.crop * view.crop * 3
            let t = Tensor(uninitializedShape: [batch, view.crop, view.crop, 3])
            for (i, s) in samples.enumerated() {
                s[v].withUnsafeBufferPointer { (t.data + i * per).update(from: $0.baseAddress!, count: per) }
            }
            return t
        }
        return model.forward(tensors)
    }

    /// Scores decoded images: the first output of each (a MIQA predictor has exactly one).
    public func scores(_ images: [RGBImage]) -> [Float] {
        let out = run(images.map(prepare)).values
        let k = out.count / images.count
        return (0..<images.count).map { out[$0 * k] }
    }
}
