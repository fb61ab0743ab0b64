import Foundation
import Tensor

/// Builds trainable versions of the architectures from the same `ArchitectureConfig` and
/// PyTorch-named weights as `ModelRegistry` (every key must match).
public enum TrainableModels {
    /// `headDropout`: the dropout before the last layer where the original has one; nil for the
    /// original's value (RA-MIQA's regressor 0.2; EfficientNet-Lite 0.2, lite2's 0.3 as the
    /// package's parameter table); `stochasticDepth`: the largest drop-path rate of
    /// the EfficientNets' residual blocks (torchvision's and the Lite package's 0.2, scaled by
    /// block index); pass 0 for both for deterministic checks.
    public static func build(_ config: ArchitectureConfig, weights: [String: Tensor], headDropout: Float? = nil,
                             stochasticDepth: Float = 0.2) throws -> TrainableModel {
        let store = ParameterStore(weights)
        let liteDropout: Float = (config.widthMult ?? 1) >= 1.1 ? 0.3 : 0.2
        let headDropout = headDropout ?? (config.architecture == "efficientnet_lite" ? liteDropout : 0.2)
        let model: TrainableModel
        switch config.architecture {
        case "resnet": model = try TrainableResNet(config, store)
        case "efficientnet": model = try TrainableEfficientNet(config, store, stochasticDepth: stochasticDepth)
        case "efficientnet_lite": model = try TrainableEfficientNetLite(config, store, headDropout: headDropout, stochasticDepth: stochasticDepth)
        case "vit": model = try TrainableViT(config, store)
        case "ra_miqa": model = try TrainableRAMIQA(config, store, weights: weights, headDropout: headDropout)
        case "mobilenet_v2":
            // A downstream machine only: inference is all the labels need, so it has no backward pass.
            throw ModelNotAvailable(description: "mobilenet_v2 is an ImageNet machine (miqa classify, --machines), not a trainable architecture")
        default: throw ConfigError(field: "architecture (unknown '\(config.architecture)')", architecture: config.architecture)
        }
        try store.finish()
        return model
    }
}
