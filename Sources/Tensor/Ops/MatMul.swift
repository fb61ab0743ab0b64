import Foundation
import CDNNL
import COpenBLAS

/// A fully connected layer `y = x W^T + b` over the last dimension, with fused post-ops.
/// `weight` is PyTorch's `[out, in]`; inputs are `[..., in]` row-major.
///
/// Runs oneDNN's matmul with the weights reordered once into its preferred layout. Training
/// uses `LinearTraining` below (weights passed per call, and the backward matmuls).
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
        let out = Tensor.destination(outShape, accumulate: accumulate, what: "linear output")
        p.primitive.execute(src: (p.src, x), weights: (p.weightsMD, p.packedWeights), dst: (p.dst, out),
                            bias: bias.map { (p.biasMD, $0) })
        return out
    }

    public func implementation(rows: Int) -> String { plan(rows: rows).primitive.implementation }
}

/// A fully connected layer for training, weights passed at each call (they change every step):
/// `y = x W^T + b`, and its backward `dx = dy W`, `dW = dy^T x`, `db = sum over rows of dy`.
/// Three OpenBLAS sgemm calls on row-major matrices; no packing since W changes every step.
public enum LinearTraining {
    /// `x` `[..., in]`, `weight` `[out, in]`, `bias` `[out]` -> `[..., out]`.
    public static func forward(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        let k = weight.shape[1], n = weight.shape[0]
        precondition(x.shape.last == k, "linear expects last dim \(k), got \(x.shape)")
        let m = x.count / k
        let y = Tensor(uninitializedShape: Array(x.shape.dropLast()) + [n])
        if let bias {
            parallelFor(m, minimumPerThread: 64) { range in
                for r in range { (y.data + r * n).update(from: bias.data, count: n) }
            }
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1, x.data, Int32(k),
                    weight.data, Int32(k), bias == nil ? 0 : 1, y.data, Int32(n))
        return y
    }

    /// dx for `forward`.
    public static func backwardData(_ dy: Tensor, weight: Tensor, inputShape: [Int]) -> Tensor {
        let k = weight.shape[1], n = weight.shape[0], m = dy.count / n
        let dx = Tensor(uninitializedShape: inputShape)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(k), Int32(n), 1, dy.data, Int32(n),
                    weight.data, Int32(k), 0, dx.data, Int32(k))
        return dx
    }

    /// dW (`[out, in]`) and db (`[out]`) for `forward`.
    public static func backwardWeights(_ dy: Tensor, input x: Tensor, withBias: Bool) -> (weight: Tensor, bias: Tensor?) {
        let n = dy.shape.last!, k = x.shape.last!, m = dy.count / n
        let dw = Tensor(uninitializedShape: [n, k])
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(n), Int32(k), Int32(m), 1, dy.data, Int32(n),
                    x.data, Int32(k), 0, dw.data, Int32(k))
        guard withBias else { return (dw, nil) }
        let db = Tensor(uninitializedShape: [n])
        columnSums(rows: m, width: n, into: db.data) { r, acc in
            let g = dy.data + r * n
            for j in 0..<n { acc[j] += g[j] }
        }
        return (dw, db)
    }
}

/// Batched matrix products over strided views (oneDNN matmul): `C[b] = scale * A[b] B[b]` where
/// each operand is described by its shape and element strides, so transposes and head slices of
/// a packed QKV tensor are read in place. Primitives are cached by the full description.
enum StridedMatMul {
    private static let plans = PrimitiveCache<Primitive>()

    struct Operand {
        let shape: [Int]
        let strides: [Int]
        let pointer: UnsafeMutablePointer<Float>
        var md: dnnl_memory_desc_t { DNNL.md(shape, strides: strides) }
    }

    static func run(_ a: Operand, _ b: Operand, _ c: Operand, scale: Float = 1) {
        let key = "\(a.shape)\(a.strides)|\(b.shape)\(b.strides)|\(c.shape)\(c.strides)|\(scale)"
        var am = a.md, bm = b.md, cm = c.md
        let prim = plans.get(key) {
            var desc = dnnl_matmul_desc_t()
            DNNL.check(dnnl_matmul_desc_init(&desc, &am, &bm, nil, &cm), "strided matmul desc")
            return Primitive(&desc, outputScale: scale == 1 ? nil : scale, name: "strided matmul")
        }
        prim.execute([
            (DNNL.argSrc, am, UnsafeMutableRawPointer(a.pointer)),
            (DNNL.argWeights, bm, UnsafeMutableRawPointer(b.pointer)),
            (DNNL.argDst, cm, UnsafeMutableRawPointer(c.pointer)),
        ])
    }
}
