import Foundation
import Checkpoints

/// Guessing which of our architectures a checkpoint holds, from its key names and a few shapes,
/// then confirming by building the model strictly (every key and shape must fit).
public enum ArchitectureRecognition {
    /// Candidate canonical model names for a set of keys, most specific first.
    public static func candidates(_ dict: TensorDict) -> [String] {
        let keys = Set(dict.names)
        if keys.contains(where: { $0.hasPrefix("mask_encoder.") }) { return ["ra_miqa"] }
        if keys.contains("blocks.0.attn.qkv.weight") { return ["vit_small_patch16_224"] }
        if keys.contains("layer1.0.conv3.weight") { return ["resnet50"] }
        if keys.contains("layer1.0.conv1.weight") { return ["resnet18"] }
        // Before the EfficientNets, which share the `features.0.0` stem key.
        if keys.contains("features.1.conv.0.0.weight") { return ["mobilenet_v2"] }
        if keys.contains("features.0.0.weight") {
            let stem = dict["features.0.0.weight"]?.shape.first ?? 0
            return stem == 48 ? ["efficientnet_b5", "efficientnet_b1"] : ["efficientnet_b1", "efficientnet_b5"]
        }
        if keys.contains("_conv_stem.weight") { return ["efficientnet_lite0", "efficientnet_lite1", "efficientnet_lite2"] }
        return []
    }

    /// The first candidate whose full-size configuration accepts every key and shape (with the
    /// output count taken from the checkpoint's head), or nil.
    public static func recognize(_ dict: TensorDict) -> (name: String, config: ArchitectureConfig)? {
        let tensors = WeightLoading.tensors(from: dict)
        for name in candidates(dict) {
            guard var config = ModelRegistry.config(named: name) else { continue }
            if let outputs = headOutputs(dict) { config.numOutputs = outputs }
            if (try? ModelRegistry.build(config, weights: tensors)) != nil { return (name, config) }
        }
        return nil
    }

    /// The number of outputs of the checkpoint's final layer, when it has a known head.
    static func headOutputs(_ dict: TensorDict) -> Int? {
        for key in ["fc.bias", "classifier.bias", "classifier.1.bias", "head.bias", "_fc.bias", "quality_regressor.3.bias"] {
            if let t = dict[key] { return t.shape.first }
        }
        return nil
    }
}
