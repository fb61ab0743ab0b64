import Foundation

/// The shape of one network: one configuration type per architecture. Its JSON form is the one
/// the PyTorch oracle (`tools/oracle/`) reads and model cards store: a flat object with
/// `architecture`, `num_outputs` (default 1) and that architecture's fields, so a tiny test
/// variant and the full model go through the same construction code. (`num_outputs` is read
/// and written here, once for all kinds; the per-architecture types leave it out of their keys.)
public enum ArchitectureConfig: Codable, Equatable, Sendable {
    case resnet(ResNetConfig)
    case efficientnet(EfficientNetConfig)
    case efficientnetLite(EfficientNetLiteConfig)
    case vit(ViTConfig)
    case raMIQA(RAMIQAConfig)
    case mobilenetV2(MobileNetV2Config)
    /// A network whose structure lives in its own files (a Darknet `.cfg`, MTCNN, an ONNX
    /// graph): only its kind and output count.
    case external(architecture: String, numOutputs: Int)

    /// torchvision's ResNet.
    public struct ResNetConfig: Codable, Equatable, Sendable {
        public enum Block: String, Codable, Sendable { case basic, bottleneck }
        public var block: Block
        public var layers: [Int]
        public var widths: [Int]
        public var stemWidth: Int
        public var numOutputs = 1

        enum CodingKeys: String, CodingKey { case block, layers, widths, stemWidth = "stem_width" }
    }

    /// torchvision's EfficientNet B0-B7.
    public struct EfficientNetConfig: Codable, Equatable, Sendable {
        public var widthMult: Double
        public var depthMult: Double
        public var bnEps: Double
        public var numOutputs = 1

        enum CodingKeys: String, CodingKey { case widthMult = "width_mult", depthMult = "depth_mult", bnEps = "bn_eps" }
    }

    /// EfficientNet-Lite 0-4. `imageSize` is the nominal input side, which only the ImageNet
    /// classifier's eval view uses (the network itself takes any size).
    public struct EfficientNetLiteConfig: Codable, Equatable, Sendable {
        public var widthMult: Double
        public var depthMult: Double
        public var imageSize: Int?
        public var numOutputs = 1

        enum CodingKeys: String, CodingKey { case widthMult = "width_mult", depthMult = "depth_mult", imageSize = "image_size" }
    }

    /// timm's ViT (and RA-MIQA's main branch).
    public struct ViTConfig: Codable, Equatable, Sendable {
        public var imageSize: Int
        public var embedDim: Int
        public var depth: Int
        public var numHeads: Int
        public var mlpRatio: Double
        public var patchSize: Int
        public var numOutputs = 1

        enum CodingKeys: String, CodingKey {
            case imageSize = "image_size", embedDim = "embed_dim", depth, numHeads = "num_heads", mlpRatio = "mlp_ratio"
            case patchSize = "patch_size"
        }
    }

    /// RA-MIQA: a ViT main branch and its frozen region encoder (an mmsegmentation ViT).
    public struct RAMIQAConfig: Codable, Equatable, Sendable {
        public var main: ViTConfig
        public var region: RegionEncoderConfig

        enum CodingKeys: String, CodingKey { case region }

        public init(main: ViTConfig, region: RegionEncoderConfig) {
            self.main = main
            self.region = region
        }

        public init(from decoder: Decoder) throws {
            main = try ViTConfig(from: decoder)
            region = try decoder.container(keyedBy: CodingKeys.self).decode(RegionEncoderConfig.self, forKey: .region)
        }

        public func encode(to encoder: Encoder) throws {
            try main.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(region, forKey: .region)
        }
    }

    /// RA-MIQA's frozen region encoder.
    public struct RegionEncoderConfig: Codable, Equatable, Sendable {
        public var embedDim: Int
        public var depth: Int
        public var numHeads: Int
        public var mlpRatio: Double
        public var patchSize: Int
        /// Side of the position-embedding grid stored in the checkpoint (14 for 224 / 16).
        public var nativeGrid: Int
        /// Side of the square view the encoder sees (288 in the original).
        public var imageSize: Int

        enum CodingKeys: String, CodingKey {
            case embedDim = "embed_dim", depth, numHeads = "num_heads", mlpRatio = "mlp_ratio"
            case patchSize = "patch_size", nativeGrid = "native_grid", imageSize = "image_size"
        }
    }

    /// torchvision's MobileNetV2.
    public struct MobileNetV2Config: Codable, Equatable, Sendable {
        public var widthMult: Double
        public var numOutputs = 1

        enum CodingKeys: String, CodingKey { case widthMult = "width_mult" }
    }

    /// The `architecture` value of the JSON form: `resnet`, `efficientnet`, `efficientnet_lite`,
    /// `vit`, `ra_miqa`, `mobilenet_v2`, or an external kind (`darknet`, `mtcnn`, `onnx`).
    public var architecture: String {
        switch self {
        case .resnet: return "resnet"
        case .efficientnet: return "efficientnet"
        case .efficientnetLite: return "efficientnet_lite"
        case .vit: return "vit"
        case .raMIQA: return "ra_miqa"
        case .mobilenetV2: return "mobilenet_v2"
        case let .external(architecture, _): return architecture
        }
    }

    /// Width of the network's output (1 for a MIQA predictor, 1000 for an ImageNet classifier).
    public var numOutputs: Int {
        get {
            switch self {
            case let .resnet(c): return c.numOutputs
            case let .efficientnet(c): return c.numOutputs
            case let .efficientnetLite(c): return c.numOutputs
            case let .vit(c): return c.numOutputs
            case let .raMIQA(c): return c.main.numOutputs
            case let .mobilenetV2(c): return c.numOutputs
            case let .external(_, n): return n
            }
        }
        set {
            switch self {
            case var .resnet(c): c.numOutputs = newValue; self = .resnet(c)
            case var .efficientnet(c): c.numOutputs = newValue; self = .efficientnet(c)
            case var .efficientnetLite(c): c.numOutputs = newValue; self = .efficientnetLite(c)
            case var .vit(c): c.numOutputs = newValue; self = .vit(c)
            case var .raMIQA(c): c.main.numOutputs = newValue; self = .raMIQA(c)
            case var .mobilenetV2(c): c.numOutputs = newValue; self = .mobilenetV2(c)
            case let .external(a, _): self = .external(architecture: a, numOutputs: newValue)
            }
        }
    }

    private enum KindKey: String, CodingKey { case architecture, numOutputs = "num_outputs" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: KindKey.self)
        let architecture = try c.decode(String.self, forKey: .architecture)
        switch architecture {
        case "resnet": self = .resnet(try ResNetConfig(from: decoder))
        case "efficientnet": self = .efficientnet(try EfficientNetConfig(from: decoder))
        case "efficientnet_lite": self = .efficientnetLite(try EfficientNetLiteConfig(from: decoder))
        case "vit": self = .vit(try ViTConfig(from: decoder))
        case "ra_miqa": self = .raMIQA(try RAMIQAConfig(from: decoder))
        case "mobilenet_v2": self = .mobilenetV2(try MobileNetV2Config(from: decoder))
        default: self = .external(architecture: architecture, numOutputs: 1)
        }
        numOutputs = try c.decodeIfPresent(Int.self, forKey: .numOutputs) ?? 1
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: KindKey.self)
        try c.encode(architecture, forKey: .architecture)
        try c.encode(numOutputs, forKey: .numOutputs)
        switch self {
        case let .resnet(v): try v.encode(to: encoder)
        case let .efficientnet(v): try v.encode(to: encoder)
        case let .efficientnetLite(v): try v.encode(to: encoder)
        case let .vit(v): try v.encode(to: encoder)
        case let .raMIQA(v): try v.encode(to: encoder)
        case let .mobilenetV2(v): try v.encode(to: encoder)
        case .external: break
        }
    }

    /// Reads a config JSON file.
    public static func load(_ url: URL) throws -> ArchitectureConfig {
        try JSONDecoder().decode(ArchitectureConfig.self, from: Data(contentsOf: url))
    }
}

/// A configuration that does not fit the architecture it is given to.
struct ConfigError: Error, CustomStringConvertible {
    let field: String
    let architecture: String
    var description: String { "architecture config '\(architecture)' needs '\(field)'" }
}
