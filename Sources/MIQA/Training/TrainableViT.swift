import Foundation
import Tensor

/// A pre-norm transformer block for training, timm names (`norm1`, `attn.qkv`, `attn.proj`,
/// `norm2`, `mlp.fc1`, `mlp.fc2`), LayerNorm eps 1e-6, exact GELU. No drop-path (timm's
/// `vit_small_patch16_224` default rate is 0).
struct TrainTransformerBlock {
    let norm1: TrainLayerNorm, qkv: TrainLinear, proj: TrainLinear
    let norm2: TrainLayerNorm, fc1: TrainLinear, fc2: TrainLinear
    let heads: Int

    init(_ net: TrainableNetwork, prefix p: String, dim: Int, heads: Int, hidden: Int) {
        norm1 = TrainLayerNorm(net, "\(p).norm1", dim: dim, eps: 1e-6)
        qkv = TrainLinear(net, "\(p).attn.qkv", in: dim, out: 3 * dim)
        proj = TrainLinear(net, "\(p).attn.proj", in: dim, out: dim)
        norm2 = TrainLayerNorm(net, "\(p).norm2", dim: dim, eps: 1e-6)
        fc1 = TrainLinear(net, "\(p).mlp.fc1", in: dim, out: hidden)
        fc2 = TrainLinear(net, "\(p).mlp.fc2", in: hidden, out: dim)
        self.heads = heads
    }

    func callAsFunction(_ x: Variable, _ c: ForwardContext) -> Variable {
        let a = proj(Differentiable.attention(qkv(norm1(x, c), c), heads: heads, tape: c.tape), c)
        let x1 = Differentiable.add(x, a, tape: c.tape)
        let m = fc2(fc1(norm2(x1, c), c).apply(.gelu, c), c)
        return Differentiable.add(x1, m, tape: c.tape)
    }
}

/// The timm ViT trunk (patch embedding, class token, blocks, final norm) under `<prefix>`.
struct TrainViTTrunk {
    let dim: Int
    let patchEmbed: TrainConv
    let classToken: Variable
    let blocks: [TrainTransformerBlock]
    let norm: TrainLayerNorm

    init(_ net: TrainableNetwork, _ config: ArchitectureConfig, prefix: String) throws {
        let dim = try config.require(config.embedDim, "embed_dim")
        let depth = try config.require(config.depth, "depth")
        let heads = try config.require(config.numHeads, "num_heads")
        let ratio = try config.require(config.mlpRatio, "mlp_ratio")
        let patch = try config.require(config.patchSize, "patch_size")
        self.dim = dim
        patchEmbed = TrainConv(net, "\(prefix)patch_embed.proj", in: 3, out: dim, kernel: patch, stride: patch,
                               padding: .symmetric(0), bias: true)
        classToken = net.parameter("\(prefix)cls_token", [1, 1, dim])
        blocks = (0..<depth).map {
            TrainTransformerBlock(net, prefix: "\(prefix)blocks.\($0)", dim: dim, heads: heads, hidden: Int(Double(dim) * ratio))
        }
        norm = TrainLayerNorm(net, "\(prefix)norm", dim: dim, eps: 1e-6)
    }

    /// `[B, H, W, 3]` -> patch tokens `[B, P, D]`.
    func patches(_ image: Tensor, _ c: ForwardContext) -> Variable {
        let y = patchEmbed(Variable(image), c)
        let s = y.value.shape
        return Differentiable.reshape(y, [s[0], s[1] * s[2], s[3]], tape: c.tape)
    }

    func encode(_ tokens: Variable, _ c: ForwardContext) -> Variable {
        var x = tokens
        for block in blocks { x = block(x, c) }
        return norm(x, c)
    }
}

/// timm's `vit_small_patch16_224` structure for training: CLS pooling, head `Linear(D, outputs)`.
final class TrainableViT: TrainableNetwork, TrainableModel {
    private var trunk: TrainViTTrunk!
    private var position: Variable!
    private var head: TrainLinear!

    init(_ config: ArchitectureConfig, _ store: ParameterStore) throws {
        super.init(config: config, store: store)
        trunk = try TrainViTTrunk(self, config, prefix: "")
        let grid = try config.require(config.imageSize, "image_size") / config.require(config.patchSize, "patch_size")
        position = parameter("pos_embed", [1, 1 + grid * grid, trunk.dim])
        head = TrainLinear(self, "head", in: trunk.dim, out: config.numOutputs)
    }

    func forward(_ views: [Tensor], context c: ForwardContext) -> Variable {
        let tokens = Differentiable.assembleTokens(prefix: [trunk.classToken], patches: trunk.patches(views[0], c),
                                                   position: position, tape: c.tape)
        return head(Differentiable.selectToken(trunk.encode(tokens, c), index: 0, tape: c.tape), c)
    }
}
