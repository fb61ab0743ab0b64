import Foundation
import Tensor

/// The transformer trunk shared by timm's ViT and RA-MIQA's main branch: patch embedding,
/// class token, blocks and final norm, under timm's names (`<prefix>patch_embed.proj`, `cls_token`,
/// `blocks.N.*`, `norm`). LayerNorm eps 1e-6, GELU (erf), CLS pooling.
struct ViTTrunk {
    let dim: Int
    let patchEmbed: Conv2dKernel
    let classToken: Tensor
    let blocks: [TransformerBlock]
    let norm: LayerNormKernel

    init(_ config: ArchitectureConfig, _ store: ParameterStore, prefix: String) throws {
        let dim = try config.require(config.embedDim, "embed_dim")
        let depth = try config.require(config.depth, "depth")
        let heads = try config.require(config.numHeads, "num_heads")
        let ratio = try config.require(config.mlpRatio, "mlp_ratio")
        let patch = try config.require(config.patchSize, "patch_size")
        self.dim = dim
        patchEmbed = Conv2dKernel(weight: store.take("\(prefix)patch_embed.proj.weight", [dim, 3, patch, patch]),
                                  bias: store.take("\(prefix)patch_embed.proj.bias", [dim]),
                                  stride: (patch, patch), padding: .symmetric(0))
        classToken = store.take("\(prefix)cls_token", [1, 1, dim])
        blocks = (0..<depth).map {
            TransformerBlock(store, prefix: "\(prefix)blocks.\($0)", naming: .timm, dim: dim, heads: heads,
                             hidden: Int(Double(dim) * ratio), eps: 1e-6)
        }
        norm = LayerNormKernel(weight: store.take("\(prefix)norm.weight", [dim]), bias: store.take("\(prefix)norm.bias", [dim]), eps: 1e-6)
    }

    /// Runs blocks and the final norm over an assembled token sequence.
    func encode(_ tokens: Tensor) -> Tensor {
        for block in blocks { block(tokens) }
        return norm(tokens)
    }
}

/// timm's `vit_small_patch16_224` (any size via the config) with `head = Linear(D, outputs)` on the
/// normalised CLS token, the original's ViT baseline.
final class VisionTransformer: Model {
    let config: ArchitectureConfig
    private let trunk: ViTTrunk
    private let position: Tensor
    private let head: LinearKernel

    init(_ config: ArchitectureConfig, _ store: ParameterStore) throws {
        self.config = config
        trunk = try ViTTrunk(config, store, prefix: "")
        let grid = try config.require(config.imageSize, "image_size") / config.require(config.patchSize, "patch_size")
        position = store.take("pos_embed", [1, 1 + grid * grid, trunk.dim])
        head = LinearKernel(weight: store.take("head.weight", [config.numOutputs, trunk.dim]),
                            bias: store.take("head.bias", [config.numOutputs]))
    }

    func forward(_ views: [Tensor]) -> Tensor {
        let patches = Tokens.embed(trunk.patchEmbed, views[0])
        let tokens = Tokens.assemble(prefix: [trunk.classToken], patches: patches, position: position)
        return head(Tokens.select(trunk.encode(tokens), index: 0))
    }
}
