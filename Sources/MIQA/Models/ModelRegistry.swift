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
        case "resnet18": return .resnet(.init(block: .basic, layers: [2, 2, 2, 2], widths: [64, 128, 256, 512], stemWidth: 64))
        case "resnet50": return .resnet(.init(block: .bottleneck, layers: [3, 4, 6, 3], widths: [64, 128, 256, 512], stemWidth: 64))
        case "efficientnet_b1": return .efficientnet(.init(widthMult: 1.0, depthMult: 1.1, bnEps: 1e-5))
        case "efficientnet_b5": return .efficientnet(.init(widthMult: 1.6, depthMult: 2.2, bnEps: 1e-3))
        case "vit_small_patch16_224", "vit_small": return .vit(vitSmall)
        case "ra_miqa":
            return .raMIQA(.init(main: vitSmall, region: .init(embedDim: 384, depth: 12, numHeads: 6, mlpRatio: 4, patchSize: 16,
                                                                nativeGrid: 14, imageSize: 288)))
        case "efficientnet_lite0": return .efficientnetLite(.init(widthMult: 1.0, depthMult: 1.0, imageSize: 224, numOutputs: 1000))
        case "efficientnet_lite1": return .efficientnetLite(.init(widthMult: 1.0, depthMult: 1.1, imageSize: 240, numOutputs: 1000))
        case "efficientnet_lite2": return .efficientnetLite(.init(widthMult: 1.1, depthMult: 1.2, imageSize: 260, numOutputs: 1000))
        case "mobilenet_v2": return .mobilenetV2(.init(widthMult: 1.0, numOutputs: 1000))
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

    /// The definition of `config`'s architecture. Adding an architecture adds its line here
    /// (the switch is exhaustive, so the compiler asks for it).
    static func definition(_ config: ArchitectureConfig) throws -> any ArchitectureDefinition.Type {
        switch config {
        case .resnet: return ResNet.self
        case .efficientnet: return EfficientNet.self
        case .efficientnetLite: return EfficientNetLite.self
        case .vit: return VisionTransformer.self
        case .raMIQA: return RAMIQA.self
        case .mobilenetV2: return MobileNetV2.self
        case let .external(architecture, _):
            throw ConfigError(field: "architecture ('\(architecture)' is not built from a configuration)", architecture: architecture)
        }
    }

    static func build(_ config: ArchitectureConfig, store: ParameterStore) throws -> Model {
        let builder = InferenceBuilder(store)
        let run = try definition(config).build(config, builder, Regularisation())
        try store.finish()
        return InferenceNetwork(config, run)
    }

    /// timm's `vit_small_patch16_224`.
    private static let vitSmall = ArchitectureConfig.ViTConfig(imageSize: 224, embedDim: 384, depth: 12, numHeads: 6, mlpRatio: 4,
                                                              patchSize: 16)
}
