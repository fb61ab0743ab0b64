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
