import Foundation
import Tensor

/// Builds the training networks of the architectures from the same definitions, `ArchitectureConfig`
/// and PyTorch-named weights as `ModelRegistry` (every key must match).
public enum TrainableModels {
    /// `headDropout`: the dropout before the last layer where the original has one; nil for the
    /// original's value (RA-MIQA's regressor 0.2; EfficientNet-Lite 0.2, lite2's 0.3 as the
    /// package's parameter table); `stochasticDepth`: the largest drop-path rate of
    /// the EfficientNets' residual blocks (torchvision's and the Lite package's 0.2, scaled by
    /// block index); pass 0 for both for deterministic checks.
    public static func build(_ config: ArchitectureConfig, weights: [String: Tensor], headDropout: Float? = nil,
                             stochasticDepth: Float = 0.2) throws -> TrainableModel {
        if case .mobilenetV2 = config {
            // A downstream machine only: inference is all the labels need.
            throw ModelNotAvailable(description: "mobilenet_v2 is an ImageNet machine (miqa classify, --machines), not a trainable architecture")
        }
        let store = ParameterStore(weights)
        let builder = TrainingBuilder(store)
        let run = try ModelRegistry.definition(config).build(config, builder, Regularisation(headDropout: headDropout, stochasticDepth: stochasticDepth))
        try store.finish()
        return TrainingNetwork(config, builder, run)
    }
}
