import Foundation
import Imaging

/// How a predictor's input views are made from a decoded image, as the original's evaluation
/// transforms make them: a value, so that decoding threads (scoring, training's validation) can
/// prepare images in parallel while the model itself stays on one thread.
public struct ViewPreparation: Sendable {
    public let views: [InputView]

    public init(views: [InputView]) { self.views = views }

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
}
