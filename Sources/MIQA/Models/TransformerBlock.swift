import Foundation
import Tensor

/// A pre-norm transformer encoder block: `x += proj(attn(norm1(x))); x += fc2(gelu(fc1(norm2(x))))`.
/// timm's ViT blocks and mmsegmentation's ViT layers compute the same thing under different
/// parameter names; `Naming` maps one onto the other.
struct TransformerBlock {
    /// Parameter names of one block, relative to its prefix.
    struct Naming {
        var norm1: String, qkvWeight: String, qkvBias: String, proj: String, norm2: String, fc1: String, fc2: String

        /// timm `blocks.N.*`.
        static let timm = Naming(norm1: "norm1", qkvWeight: "attn.qkv.weight", qkvBias: "attn.qkv.bias", proj: "attn.proj",
                                 norm2: "norm2", fc1: "mlp.fc1", fc2: "mlp.fc2")
        /// mmsegmentation `layers.N.*` (attention is a wrapped `nn.MultiheadAttention`).
        static let mmseg = Naming(norm1: "ln1", qkvWeight: "attn.attn.in_proj_weight", qkvBias: "attn.attn.in_proj_bias",
                                  proj: "attn.attn.out_proj", norm2: "ln2", fc1: "ffn.layers.0.0", fc2: "ffn.layers.1")
    }

    let norm1: LayerNormKernel, qkv: LinearKernel, attention: AttentionKernel, proj: LinearKernel
    let norm2: LayerNormKernel, fc1: LinearKernel, fc2: LinearKernel

    init(_ store: ParameterStore, prefix: String, naming n: Naming, dim: Int, heads: Int, hidden: Int, eps: Float) {
        func ln(_ name: String) -> LayerNormKernel {
            LayerNormKernel(weight: store.take("\(prefix).\(name).weight", [dim]), bias: store.take("\(prefix).\(name).bias", [dim]), eps: eps)
        }
        func linear(_ name: String, _ out: Int, _ inF: Int, _ post: [PostOp]) -> LinearKernel {
            LinearKernel(weight: store.take("\(prefix).\(name).weight", [out, inF]), bias: store.take("\(prefix).\(name).bias", [out]), postOps: post)
        }
        norm1 = ln(n.norm1)
        qkv = LinearKernel(weight: store.take("\(prefix).\(n.qkvWeight)", [3 * dim, dim]),
                           bias: store.take("\(prefix).\(n.qkvBias)", [3 * dim]))
        attention = AttentionKernel(heads: heads)
        proj = linear(n.proj, dim, dim, [.accumulate])
        norm2 = ln(n.norm2)
        fc1 = linear(n.fc1, hidden, dim, [.gelu])
        fc2 = linear(n.fc2, dim, hidden, [.accumulate])
    }

    /// Updates the token tensor `x` (`[B, N, D]`) in place and returns it.
    @discardableResult
    func callAsFunction(_ x: Tensor) -> Tensor {
        _ = proj(attention(qkv(norm1(x))), accumulate: x)
        _ = fc2(fc1(norm2(x)), accumulate: x)
        return x
    }
}

/// Building token sequences: `[extra tokens..., patch tokens] + position embedding`.
enum Tokens {
    /// Returns `[B, prefix.count + P, D]`: the given per-sample (`[B, D]`) or shared (`[D]`) prefix
    /// tokens, then the patch tokens (`[B, P, D]`), plus `position` (`[prefix.count + P, D]`).
    static func assemble(prefix: [Tensor], patches: Tensor, position: Tensor) -> Tensor {
        let b = patches.shape[0], p = patches.shape[1], d = patches.shape[2]
        let n = prefix.count + p
        precondition(position.count == n * d, "position embedding \(position.shape) for \(n) tokens of \(d)")
        let out = Tensor(uninitializedShape: [b, n, d])
        parallelFor(b) { range in
            for s in range {
                let dst = out.data + s * n * d
                for (i, t) in prefix.enumerated() {
                    let src = t.count == d ? t.data : t.data + s * d
                    (dst + i * d).update(from: src, count: d)
                }
                (dst + prefix.count * d).update(from: patches.data + s * p * d, count: p * d)
                for j in 0..<(n * d) { dst[j] += position.data[j] }
            }
        }
        return out
    }

    /// Token `index` of every sample: `[B, N, D]` -> `[B, D]`.
    static func select(_ x: Tensor, index: Int) -> Tensor {
        let b = x.shape[0], n = x.shape[1], d = x.shape[2]
        let out = Tensor(uninitializedShape: [b, d])
        for s in 0..<b { (out.data + s * d).update(from: x.data + (s * n + index) * d, count: d) }
        return out
    }

    /// Patch embedding: a stride = kernel convolution on `[B, H, W, 3]` gives `[B, H/p, W/p, D]`,
    /// which in channels-last memory already is the token sequence `[B, P, D]`.
    static func embed(_ conv: Conv2dKernel, _ image: Tensor) -> Tensor {
        let y = conv(image)
        return y.reshapedInPlace([y.shape[0], y.shape[1] * y.shape[2], y.shape[3]])
    }
}
