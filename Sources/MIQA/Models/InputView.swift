import Foundation
import Imaging

/// How one input view of a model is made from an image: the original's eval transforms
/// (`Resize(resize)` on the shorter side, `CenterCrop(crop)`, scale to 0..1, normalise).
public struct InputView: Codable, Equatable, Sendable {
    public var resize: Int
    public var crop: Int
    public var mean: [Float]
    public var std: [Float]

    public init(resize: Int, crop: Int, mean: [Float], std: [Float]) {
        self.resize = resize
        self.crop = crop
        self.mean = mean
        self.std = std
    }

    /// ImageNet statistics (the CNN baselines and RA-MIQA's region view).
    public static let imagenetMean: [Float] = [0.485, 0.456, 0.406]
    public static let imagenetStd: [Float] = [0.229, 0.224, 0.225]

    /// The Imaging pipeline for this view.
    public var preprocess: Preprocess {
        Preprocess(size: resize, crop: crop, mean: (mean[0], mean[1], mean[2]), std: (std[0], std[1], std[2]))
    }

    /// The views the original feeds each architecture at evaluation time.
    public static func views(for config: ArchitectureConfig) -> [InputView] {
        let half: [Float] = [0.5, 0.5, 0.5]
        switch config {
        case let .vit(c):
            return [InputView(resize: 288, crop: c.imageSize, mean: half, std: half)]
        case let .raMIQA(c):
            let side = c.region.imageSize
            return [InputView(resize: 288, crop: c.main.imageSize, mean: half, std: half),
                    InputView(resize: side, crop: side, mean: imagenetMean, std: imagenetStd)]
        case let .efficientnetLite(c):
            // The TF Lite convention its ImageNet weights were trained with: (p - 127) / 128 on
            // 0..255. As a classifier (1000 outputs): shorter side to crop / 0.875 (256 for
            // lite0's 224), centre crop at its native size. As a MIQA predictor (a regression
            // head): the MIQA geometry, 288 -> 224.
            let mean: [Float] = [127 / 255, 127 / 255, 127 / 255], std: [Float] = [128 / 255, 128 / 255, 128 / 255]
            if c.numOutputs == 1000 {
                let crop = c.imageSize ?? 224
                return [InputView(resize: Int((Double(crop) / 0.875).rounded()), crop: crop, mean: mean, std: std)]
            }
            return [InputView(resize: 288, crop: 224, mean: mean, std: std)]
        case let .mobilenetV2(c) where c.numOutputs == 1000:
            // torchvision's ImageNet eval transform, which its published weights were measured with.
            return [InputView(resize: 256, crop: 224, mean: imagenetMean, std: imagenetStd)]
        default:
            return [InputView(resize: 288, crop: 224, mean: imagenetMean, std: imagenetStd)]
        }
    }
}
