import Foundation

/// The shape of one architecture: the same JSON the PyTorch oracle (`tools/oracle/`) reads, so a
/// tiny test variant and the full model go through the same construction code.
public struct ArchitectureConfig: Codable, Equatable, Sendable {
    /// `resnet`, `efficientnet`, `efficientnet_lite`, `vit`, `ra_miqa` or `mobilenet_v2`.
    public var architecture: String
    public var numOutputs: Int = 1

    // resnet
    public var block: String?
    public var layers: [Int]?
    public var widths: [Int]?
    public var stemWidth: Int?
    // efficientnet, efficientnet_lite, mobilenet_v2
    public var widthMult: Double?
    public var depthMult: Double?
    public var bnEps: Double?
    // vit, ra_miqa, efficientnet_lite
    public var imageSize: Int?
    public var embedDim: Int?
    public var depth: Int?
    public var numHeads: Int?
    public var mlpRatio: Double?
    public var patchSize: Int?
    /// RA-MIQA's frozen region encoder (an mmsegmentation ViT).
    public var region: RegionEncoderConfig?

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

    enum CodingKeys: String, CodingKey {
        case architecture, numOutputs = "num_outputs", block, layers, widths, stemWidth = "stem_width"
        case widthMult = "width_mult", depthMult = "depth_mult", bnEps = "bn_eps", imageSize = "image_size"
        case embedDim = "embed_dim", depth, numHeads = "num_heads", mlpRatio = "mlp_ratio", patchSize = "patch_size"
        case region
    }

    public init(architecture: String, numOutputs: Int = 1) {
        self.architecture = architecture
        self.numOutputs = numOutputs
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        architecture = try c.decode(String.self, forKey: .architecture)
        numOutputs = try c.decodeIfPresent(Int.self, forKey: .numOutputs) ?? 1
        block = try c.decodeIfPresent(String.self, forKey: .block)
        layers = try c.decodeIfPresent([Int].self, forKey: .layers)
        widths = try c.decodeIfPresent([Int].self, forKey: .widths)
        stemWidth = try c.decodeIfPresent(Int.self, forKey: .stemWidth)
        widthMult = try c.decodeIfPresent(Double.self, forKey: .widthMult)
        depthMult = try c.decodeIfPresent(Double.self, forKey: .depthMult)
        bnEps = try c.decodeIfPresent(Double.self, forKey: .bnEps)
        imageSize = try c.decodeIfPresent(Int.self, forKey: .imageSize)
        embedDim = try c.decodeIfPresent(Int.self, forKey: .embedDim)
        depth = try c.decodeIfPresent(Int.self, forKey: .depth)
        numHeads = try c.decodeIfPresent(Int.self, forKey: .numHeads)
        mlpRatio = try c.decodeIfPresent(Double.self, forKey: .mlpRatio)
        patchSize = try c.decodeIfPresent(Int.self, forKey: .patchSize)
        region = try c.decodeIfPresent(RegionEncoderConfig.self, forKey: .region)
    }

    /// Reads a config JSON file.
    public static func load(_ url: URL) throws -> ArchitectureConfig {
        try JSONDecoder().decode(ArchitectureConfig.self, from: Data(contentsOf: url))
    }
}

/// A required field was absent from a config.
struct ConfigError: Error, CustomStringConvertible {
    let field: String
    let architecture: String
    var description: String { "architecture config '\(architecture)' needs '\(field)'" }
}

extension ArchitectureConfig {
    func require<T>(_ value: T?, _ field: String) throws -> T {
        guard let value else { throw ConfigError(field: field, architecture: architecture) }
        return value
    }
}
