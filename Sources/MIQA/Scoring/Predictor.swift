import Foundation
import Imaging
import Tensor

/// A loaded model with the views it reads: decoded images in, one output row per image out.
/// Load once, call from one thread at a time (kernels parallelise internally).
public final class Predictor {
    public let model: Model
    public let views: [InputView]
    /// What this predictor is (name, task, label), for reports.
    public let card: ModelCard

    public init(model: Model, card: ModelCard) {
        self.model = model
        self.card = card
        self.views = InputView.views(for: model.config)
    }

    /// Preprocesses one image into each view's channels-last floats (`crop * crop * 3` each).
    /// Views that share the resize reuse it: RA-MIQA's two views are both cut from `Resize(288)`.
    /// An image too thin to resize whole (see `validate`) gets only its crop window resized:
    /// the same values, bounded memory.
    public func prepare(_ image: RGBImage) -> [[Float]] {
        var resized: [Int: RGBImage] = [:]
        return views.map { view in
            let cropped: RGBImage
            if let r = resized[view.resize] ?? (try? Resampling.resizeShorterSide(image, to: view.resize)) {
                resized[view.resize] = r
                cropped = Resampling.centerCrop(r, width: view.crop, height: view.crop)
            } else {
                cropped = Resampling.resizeShorterSideAndCenterCrop(image, to: view.resize, cropWidth: view.crop, cropHeight: view.crop)
            }
            var out = [Float](repeating: 0, count: view.crop * view.crop * 3)
            out.withUnsafeMutableBufferPointer { buf in
                Preprocess.normalizedHWC(cropped, mean: (view.mean[0], view.mean[1], view.mean[2]),
                                            std: (view.std[0], view.std[1], view.std[2]), into: buf.baseAddress!)
            }
            return out
        }
    }

    /// Throws `ResizeError` when a view's shorter-side resize of `image` would exceed
    /// `Resampling.maxResizePixels` (a 1000000x1 image resized to 288 would be 288000000x288):
    /// scoring refuses such images, as the original's full resize cannot be done.
    public func validate(_ image: RGBImage) throws {
        for size in Set(views.map(\.resize)) {
            try Resampling.checkShorterSideResize(width: image.width, height: image.height, size: size)
        }
    }

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
