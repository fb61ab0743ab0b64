import Foundation
import Tensor

/// A predictor or classifier ready to run: views in (channels-last, preprocessed), `[B, outputs]` out.
public protocol Model: AnyObject {
    var config: ArchitectureConfig { get }
    /// Runs the network on one tensor per input view (`[B, H, W, 3]` each, in `inputViews` order).
    func forward(_ views: [Tensor]) -> Tensor
}

/// The architectures known by the original's names, with their full-size configurations.
public enum ModelRegistry {
    /// The original's model names (and aliases) with the configuration each stands for.
    public static func config(named name: String) -> ArchitectureConfig? {
        switch name.lowercased() {
        case "resnet18": return resnet(block: "basic", layers: [2, 2, 2, 2])
        case "resnet50": return resnet(block: "bottleneck", layers: [3, 4, 6, 3])
        case "efficientnet_b1": return efficientnet(width: 1.0, depth: 1.1, eps: 1e-5)
        case "efficientnet_b5": return efficientnet(width: 1.6, depth: 2.2, eps: 1e-3)
        case "vit_small_patch16_224", "vit_small": return vitSmall(architecture: "vit")
        case "ra_miqa":
            var c = vitSmall(architecture: "ra_miqa")
            c.region = .init(embedDim: 384, depth: 12, numHeads: 6, mlpRatio: 4, patchSize: 16, nativeGrid: 14, imageSize: 288)
            return c
        case "efficientnet_lite0": return lite(width: 1.0, depth: 1.0, size: 224)
        case "efficientnet_lite1": return lite(width: 1.0, depth: 1.1, size: 240)
        case "efficientnet_lite2": return lite(width: 1.1, depth: 1.2, size: 260)
        case "mobilenet_v2":
            var c = ArchitectureConfig(architecture: "mobilenet_v2", numOutputs: 1000)
            c.widthMult = 1.0
            return c
        default: return nil
        }
    }

    /// Canonical names, as the original spells them (aliases resolve to these).
    public static let names = ["resnet18", "resnet50", "efficientnet_b1", "efficientnet_b5", "vit_small_patch16_224",
                               "ra_miqa", "efficientnet_lite0", "efficientnet_lite1", "efficientnet_lite2", "mobilenet_v2"]

    /// Whether `name` stands for a plain ImageNet classifier (a 1000-way head at full size), which
    /// is installed under its own name by `miqa weights fetch`, not as a MIQA predictor.
    public static func isImageNetClassifier(_ name: String) -> Bool {
        canonicalName(name).flatMap { config(named: $0) }?.numOutputs == 1000
    }

    /// The canonical spelling of a name or alias.
    public static func canonicalName(_ name: String) -> String? {
        let n = name.lowercased()
        if n == "vit_small" { return "vit_small_patch16_224" }
        return names.contains(n) ? n : nil
    }

    /// Builds a model from a configuration and named weights; every key must match.
    public static func build(_ config: ArchitectureConfig, weights: [String: Tensor]) throws -> Model {
        try build(config, store: ParameterStore(weights))
    }

    /// Builds a model with deterministic random weights (benchmarks, key listings).
    public static func buildRandom(_ config: ArchitectureConfig, seed: UInt64 = 1) throws -> Model {
        try build(config, store: .random(seed: seed))
    }

    /// The parameter names and shapes an architecture expects, in construction order.
    public static func expectedParameters(_ config: ArchitectureConfig) throws -> [(name: String, shape: [Int])] {
        let store = ParameterStore.random(seed: 1)
        _ = try build(config, store: store)
        return store.requested
    }

    static func build(_ config: ArchitectureConfig, store: ParameterStore) throws -> Model {
        let model: Model
        switch config.architecture {
        case "resnet": model = try ResNet(config, store)
        case "efficientnet": model = try EfficientNet(config, store)
        case "efficientnet_lite": model = try EfficientNetLite(config, store)
        case "vit": model = try VisionTransformer(config, store)
        case "ra_miqa": model = try RAMIQA(config, store)
        case "mobilenet_v2": model = try MobileNetV2(config, store)
        default: throw ConfigError(field: "architecture (unknown '\(config.architecture)')", architecture: config.architecture)
        }
        try store.finish()
        return model
    }

    private static func resnet(block: String, layers: [Int]) -> ArchitectureConfig {
        var c = ArchitectureConfig(architecture: "resnet")
        c.block = block; c.layers = layers; c.widths = [64, 128, 256, 512]; c.stemWidth = 64
        return c
    }

    private static func efficientnet(width: Double, depth: Double, eps: Double) -> ArchitectureConfig {
        var c = ArchitectureConfig(architecture: "efficientnet")
        c.widthMult = width; c.depthMult = depth; c.bnEps = eps
        return c
    }

    private static func vitSmall(architecture: String) -> ArchitectureConfig {
        var c = ArchitectureConfig(architecture: architecture)
        c.embedDim = 384; c.depth = 12; c.numHeads = 6; c.mlpRatio = 4; c.patchSize = 16; c.imageSize = 224
        return c
    }

    private static func lite(width: Double, depth: Double, size: Int) -> ArchitectureConfig {
        var c = ArchitectureConfig(architecture: "efficientnet_lite", numOutputs: 1000)
        c.widthMult = width; c.depthMult = depth; c.imageSize = size
        return c
    }
}
