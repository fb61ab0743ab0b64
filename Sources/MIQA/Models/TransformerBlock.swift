import Foundation
import Tensor

/// A pre-norm transformer encoder block: `x += proj(attn(norm1(x))); x += fc2(gelu(fc1(norm2(x))))`,
/// exact GELU. timm's ViT blocks and mmsegmentation's ViT layers compute the same thing under
/// different parameter names; `Naming` maps one onto the other. No drop-path (timm's
/// `vit_small_patch16_224` default rate is 0).
enum TransformerBlock {
    /// Parameter names of one block, relative to its scope.
    struct Naming {
        var norm1: String, qkvWeight: String, qkvBias: String, proj: String, norm2: String, fc1: String, fc2: String

        /// timm `blocks.N.*`.
        static let timm = Naming(norm1: "norm1", qkvWeight: "attn.qkv.weight", qkvBias: "attn.qkv.bias", proj: "attn.proj",
                                 norm2: "norm2", fc1: "mlp.fc1", fc2: "mlp.fc2")
        /// mmsegmentation `layers.N.*` (attention is a wrapped `nn.MultiheadAttention`).
        static let mmseg = Naming(norm1: "ln1", qkvWeight: "attn.attn.in_proj_weight", qkvBias: "attn.attn.in_proj_bias",
                                  proj: "attn.attn.out_proj", norm2: "ln2", fc1: "ffn.layers.0.0", fc2: "ffn.layers.1")
    }

    /// The block under `s`; the returned layer consumes its input (at inference both residual
    /// adds accumulate into it).
    static func define<B: NetworkBuilder>(_ b: B, _ s: ParameterScope, naming n: Naming, dim: Int, heads: Int, hidden: Int,
                                          eps: Float) -> B.Layer {
        let norm1 = b.layerNorm(s[n.norm1], dim: dim, eps: eps, activation: nil)
        let qkv = b.linear(weight: s.key(n.qkvWeight), bias: s.key(n.qkvBias), in: dim, out: 3 * dim, storedShape: nil, activation: nil)
        let attention = b.attention(heads: heads)
        let proj = b.linearAdding(s[n.proj], in: dim, out: dim)
        let norm2 = b.layerNorm(s[n.norm2], dim: dim, eps: eps, activation: nil)
        let fc1 = b.linear(s[n.fc1], in: dim, out: hidden, activation: .gelu)
        let fc2 = b.linearAdding(s[n.fc2], in: hidden, out: dim)
        return { x, c in
            let x1 = proj(attention(qkv(norm1(x, c), c), c), x, c)
            return fc2(fc1(norm2(x1, c), c), x1, c)
        }
    }
}
