import Foundation
import CDNNL

/// Multi-head scaled dot-product attention on a packed QKV projection.
///
/// Input `[B, N, 3*D]` laid out as (q | k | v), each split into `heads` heads of `D/heads`,
/// exactly as timm's `qkv` Linear and PyTorch's `in_proj` produce. Output `[B, N, D]` with
/// heads concatenated, ready for the output projection. The three steps are oneDNN batched
/// matmuls that read Q, K and V in place through strides (no transposing copies), and a softmax.
public final class AttentionKernel: @unchecked Sendable {
    public let heads: Int
    private struct Plan {
        let scores: Primitive, weigh: Primitive
        let q: dnnl_memory_desc_t, kT: dnnl_memory_desc_t, s: dnnl_memory_desc_t
        let v: dnnl_memory_desc_t, o: dnnl_memory_desc_t
    }
    private let plans = PrimitiveCache<Plan>()

    public init(heads: Int) { self.heads = heads }

    private func plan(b: Int, n: Int, d: Int) -> Plan {
        plans.get("\(b)x\(n)x\(d)") {
            let h = heads, hd = d / heads
            var q = DNNL.md([b, h, n, hd], strides: [n * 3 * d, hd, 3 * d, 1])
            var kT = DNNL.md([b, h, hd, n], strides: [n * 3 * d, hd, 1, 3 * d])
            var s = DNNL.md([b, h, n, n], dnnl_abcd)
            var v = DNNL.md([b, h, n, hd], strides: [n * 3 * d, hd, 3 * d, 1])
            var o = DNNL.md([b, h, n, hd], strides: [n * d, hd, d, 1])
            var d1 = dnnl_matmul_desc_t()
            DNNL.check(dnnl_matmul_desc_init(&d1, &q, &kT, nil, &s), "attention scores desc")
            let scores = Primitive(&d1, outputScale: 1 / Float(hd).squareRoot(), name: "attention scores")
            var d2 = dnnl_matmul_desc_t()
            DNNL.check(dnnl_matmul_desc_init(&d2, &s, &v, nil, &o), "attention weigh desc")
            let weigh = Primitive(&d2, name: "attention weigh")
            return Plan(scores: scores, weigh: weigh, q: q, kT: kT, s: s, v: v, o: o)
        }
    }

    /// Attention over `qkv` (`[B, N, 3D]`), returning `[B, N, D]`.
    public func callAsFunction(_ qkv: Tensor) -> Tensor {
        let b = qkv.shape[0], n = qkv.shape[1], d = qkv.shape[2] / 3
        precondition(qkv.shape[2] == 3 * d && d % heads == 0, "attention: bad qkv shape \(qkv.shape) for \(heads) heads")
        let p = plan(b: b, n: n, d: d)
        let scores = Tensor(uninitializedShape: [b, heads, n, n])
        let base = UnsafeMutableRawPointer(qkv.data)
        p.scores.execute([
            (DNNL.argSrc, p.q, base),
            (DNNL.argWeights, p.kT, base + d * 4),
            (DNNL.argDst, p.s, UnsafeMutableRawPointer(scores.data)),
        ])
        Softmax.inPlace(scores)
        let out = Tensor(uninitializedShape: [b, n, d])
        p.weigh.execute([
            (DNNL.argSrc, p.s, UnsafeMutableRawPointer(scores.data)),
            (DNNL.argWeights, p.v, base + 2 * d * 4),
            (DNNL.argDst, p.o, UnsafeMutableRawPointer(out.data)),
        ])
        return out
    }

    /// The implementations oneDNN picked (for profiling notes).
    public func implementation(b: Int, n: Int, d: Int) -> String {
        let p = plan(b: b, n: n, d: d)
        return "\(p.scores.implementation) / \(p.weigh.implementation)"
    }
}

/// Multi-head attention for training on a packed QKV tensor `[B, N, 3D]` (same layout as
/// `AttentionKernel`): the forward keeps the attention probabilities for the backward pass.
/// All products are oneDNN batched matmuls over strided views of QKV and its gradient, so
/// neither direction copies or transposes heads.
public enum AttentionTraining {
    /// Returns the output `[B, N, D]` and the probabilities `[B, H, N, N]`.
    public static func forward(_ qkv: Tensor, heads h: Int) -> (out: Tensor, probs: Tensor) {
        let b = qkv.shape[0], n = qkv.shape[1], d = qkv.shape[2] / 3, hd = d / h
        precondition(qkv.shape[2] == 3 * d && d % h == 0, "attention: bad qkv shape \(qkv.shape) for \(h) heads")
        let probs = Tensor(uninitializedShape: [b, h, n, n])
        let out = Tensor(uninitializedShape: [b, n, d])
        let base = qkv.data
        let packed = [n * 3 * d, hd, 3 * d, 1]
        StridedMatMul.run(.init(shape: [b, h, n, hd], strides: packed, pointer: base),
                          .init(shape: [b, h, hd, n], strides: [n * 3 * d, hd, 1, 3 * d], pointer: base + d),
                          .init(shape: [b, h, n, n], strides: [h * n * n, n * n, n, 1], pointer: probs.data),
                          scale: 1 / Float(hd).squareRoot())
        Softmax.inPlace(probs)
        StridedMatMul.run(.init(shape: [b, h, n, n], strides: [h * n * n, n * n, n, 1], pointer: probs.data),
                          .init(shape: [b, h, n, hd], strides: packed, pointer: base + 2 * d),
                          .init(shape: [b, h, n, hd], strides: [n * d, hd, d, 1], pointer: out.data))
        return (out, probs)
    }

    /// d(qkv) `[B, N, 3D]` from d(out) `[B, N, D]`:
    /// dP = dO V^T, dS = softmax'(dP) / sqrt(hd), dQ = dS K, dK = dS^T Q, dV = P^T dO.
    public static func backward(_ dOut: Tensor, qkv: Tensor, probs: Tensor, heads h: Int) -> Tensor {
        let b = qkv.shape[0], n = qkv.shape[1], d = qkv.shape[2] / 3, hd = d / h
        let dqkv = Tensor(uninitializedShape: qkv.shape)
        let packed = [n * 3 * d, hd, 3 * d, 1]
        let rowMajorS = [h * n * n, n * n, n, 1], transposedS = [h * n * n, n * n, 1, n]
        let outStrides = [n * d, hd, d, 1]
        let ds = Tensor(uninitializedShape: [b, h, n, n])
        // dV = P^T dO
        StridedMatMul.run(.init(shape: [b, h, n, n], strides: transposedS, pointer: probs.data),
                          .init(shape: [b, h, n, hd], strides: outStrides, pointer: dOut.data),
                          .init(shape: [b, h, n, hd], strides: packed, pointer: dqkv.data + 2 * d))
        // dP = dO V^T
        StridedMatMul.run(.init(shape: [b, h, n, hd], strides: outStrides, pointer: dOut.data),
                          .init(shape: [b, h, hd, n], strides: [n * 3 * d, hd, 1, 3 * d], pointer: qkv.data + 2 * d),
                          .init(shape: [b, h, n, n], strides: rowMajorS, pointer: ds.data))
        Softmax.backwardInPlace(ds, y: probs, scale: 1 / Float(hd).squareRoot())
        // dQ = dS K
        StridedMatMul.run(.init(shape: [b, h, n, n], strides: rowMajorS, pointer: ds.data),
                          .init(shape: [b, h, n, hd], strides: packed, pointer: qkv.data + d),
                          .init(shape: [b, h, n, hd], strides: packed, pointer: dqkv.data))
        // dK = dS^T Q
        StridedMatMul.run(.init(shape: [b, h, n, n], strides: transposedS, pointer: ds.data),
                          .init(shape: [b, h, n, hd], strides: packed, pointer: qkv.data),
                          .init(shape: [b, h, n, hd], strides: packed, pointer: dqkv.data + d))
        return dqkv
    }
}
