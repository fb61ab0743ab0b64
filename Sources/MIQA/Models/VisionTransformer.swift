import Foundation
import Tensor

/// The transformer trunk shared by timm's ViT and RA-MIQA's main branch: patch embedding,
/// class token, blocks and final norm, under timm's names (`patch_embed.proj`, `cls_token`,
/// `blocks.N.*`, `norm`). LayerNorm eps 1e-6, GELU (erf), CLS pooling by the caller.
struct ViTTrunk<B: NetworkBuilder> {
    let dim: Int
    let patchEmbed: B.Layer
    let classToken: B.Value
    let blocks: [B.Layer]
    let norm: B.Layer

    init(_ config: ArchitectureConfig.ViTConfig, _ b: B, _ s: ParameterScope) {
        let (dim, depth, heads, ratio, patch) = (config.embedDim, config.depth, config.numHeads, config.mlpRatio, config.patchSize)
        self.dim = dim
        patchEmbed = b.conv(s["patch_embed.proj"], ConvGeometry(in: 3, out: dim, kernel: patch, stride: patch, padding: .symmetric(0)))
        classToken = b.parameter(s["cls_token"], shape: [1, 1, dim])
        blocks = (0..<depth).map {
            TransformerBlock.define(b, s["blocks"][$0], naming: .timm, dim: dim, heads: heads, hidden: Int(Double(dim) * ratio), eps: 1e-6)
        }
        norm = b.layerNorm(s["norm"], dim: dim, eps: 1e-6, activation: nil)
    }

    /// `[B, H, W, 3]` -> patch tokens `[B, P, D]`.
    func patches(_ b: B, _ image: Tensor, _ c: B.Context) -> B.Value {
        b.patchTokens(patchEmbed(b.input(image, c), c), c)
    }

    /// Runs blocks and the final norm over an assembled token sequence (consumed).
    func encode(_ tokens: B.Value, _ c: B.Context) -> B.Value {
        var x = tokens
        for block in blocks { x = block(x, c) }
        return norm(x, c)
    }
}

/// timm's `vit_small_patch16_224` (any size via the config) with `head = Linear(D, outputs)` on the
/// normalised CLS token, the original's ViT baseline.
enum VisionTransformer: ArchitectureDefinition {
    static func configuration(_ config: ArchitectureConfig) -> ArchitectureConfig.ViTConfig? {
        if case let .vit(c) = config { return c } else { return nil }
    }

    static func define<B: NetworkBuilder>(_ config: ArchitectureConfig.ViTConfig, _ b: B,
                                          _ regularisation: Regularisation) throws -> ([Tensor], B.Context) -> B.Value {
        let trunk = ViTTrunk(config, b, .root)
        let grid = config.imageSize / config.patchSize
        let position = b.parameter(ParameterScope.root["pos_embed"], shape: [1, 1 + grid * grid, trunk.dim])
        let head = b.linear(ParameterScope.root["head"], in: trunk.dim, out: config.numOutputs)
        return { views, c in
            let tokens = b.assembleTokens(prefix: [trunk.classToken], patches: trunk.patches(b, views[0], c), position: position, c)
            return head(b.selectToken(trunk.encode(tokens, c), index: 0, c), c)
        }
    }
}
