import Foundation
import CDNNL

/// A fully connected layer `y = x W^T + b` over the last dimension, with fused post-ops.
/// `weight` is PyTorch's `[out, in]`; inputs are `[..., in]` row-major.
///
/// Runs oneDNN's matmul with the weights reordered once into its preferred layout.
/// The backward pass (dx = dy W, dW = dy^T x, db = sum dy) is two more matmuls, to be added
/// with the training work.
public final class LinearKernel: @unchecked Sendable {
    public let weight: Tensor
    public let bias: Tensor?
    public let postOps: [PostOp]
    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    private struct Plan {
        let primitive: Primitive
        let src: dnnl_memory_desc_t
        let dst: dnnl_memory_desc_t
        let weightsMD: dnnl_memory_desc_t
        let biasMD: dnnl_memory_desc_t
        let packedWeights: Tensor
    }
    private let plans = PrimitiveCache<Plan>()

    public init(weight: Tensor, bias: Tensor?, postOps: [PostOp] = []) {
        precondition(weight.rank == 2, "linear weight must be [out, in]")
        self.weight = weight
        self.bias = bias
        self.postOps = postOps
    }

    private func plan(rows m: Int) -> Plan {
        plans.get("\(m)") {
            let k = inFeatures, n = outFeatures
            var src = DNNL.md([m, k], dnnl_ab)
            var dst = DNNL.md([m, n], dnnl_ab)
            let plainW = DNNL.md([k, n], dnnl_ba) // [out, in] row-major is [in, out] transposed
            var anyW = DNNL.md([k, n], dnnl_format_tag_any)
            var b = DNNL.md([1, n], dnnl_ab)
            var desc = dnnl_matmul_desc_t()
            let hasBias = bias != nil
            withUnsafePointer(to: &b) { bp in
                DNNL.check(dnnl_matmul_desc_init(&desc, &src, &anyW, hasBias ? bp : nil, &dst), "matmul desc")
            }
            let prim = Primitive(&desc, postOps: postOps, name: "linear \(weight.shape)")
            let chosen = prim.md(dnnl_query_weights_md)
            let packed = DNNL.pack(weight, from: plainW, to: chosen)
            return Plan(primitive: prim, src: src, dst: dst, weightsMD: chosen, biasMD: b, packedWeights: packed)
        }
    }

    /// Applies the layer to `x` of shape `[..., in]`. With `accumulate` (and `.accumulate` among
    /// the post-ops) the result is added into that tensor in place, which is returned.
    public func callAsFunction(_ x: Tensor, accumulate: Tensor? = nil) -> Tensor {
        precondition(x.shape.last == inFeatures, "linear expects last dim \(inFeatures), got \(x.shape)")
        let m = x.count / inFeatures
        let p = plan(rows: m)
        let outShape = Array(x.shape.dropLast()) + [outFeatures]
        let out: Tensor
        if let accumulate {
            precondition(accumulate.count == m * outFeatures, "residual \(accumulate.shape) != \(outShape)")
            out = accumulate
        } else {
            out = Tensor(uninitializedShape: outShape)
        }
        var args: [(Int32, dnnl_memory_desc_t, UnsafeMutableRawPointer)] = [
            (DNNL.argSrc, p.src, UnsafeMutableRawPointer(x.data)),
            (DNNL.argWeights, p.weightsMD, UnsafeMutableRawPointer(p.packedWeights.data)),
            (DNNL.argDst, p.dst, UnsafeMutableRawPointer(out.data)),
        ]
        if let bias { args.append((DNNL.argBias, p.biasMD, UnsafeMutableRawPointer(bias.data))) }
        p.primitive.execute(args)
        return out
    }

    public func implementation(rows: Int) -> String { plan(rows: rows).primitive.implementation }
}
