import Foundation
import CDNNL

/// Layer normalisation over the last dimension with learned scale and shift (PyTorch `nn.LayerNorm`).
///
/// Forward is oneDNN's layer normalisation (vectorised, threaded); its backward counterpart
/// (`layer_normalization_backward`) joins this file with the training work.
public final class LayerNormKernel: @unchecked Sendable {
    public let weight: Tensor
    public let bias: Tensor
    public let eps: Float
    private let plans = PrimitiveCache<(Primitive, dnnl_memory_desc_t, dnnl_memory_desc_t)>()

    public init(weight: Tensor, bias: Tensor, eps: Float) {
        self.weight = weight
        self.bias = bias
        self.eps = eps
    }

    /// Normalises `x` (`[..., C]`) into a new tensor.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let c = weight.count
        precondition(x.shape.last == c, "layer norm expects last dim \(c), got \(x.shape)")
        let rows = x.count / c
        let (prim, md, cmd) = plans.get("\(rows)") {
            var md = DNNL.md([rows, c], dnnl_ab)
            var desc = dnnl_layer_normalization_desc_t()
            let flags = dnnl_use_scale.rawValue | dnnl_use_shift.rawValue
            DNNL.check(dnnl_layer_normalization_forward_desc_init(&desc, dnnl_forward_inference, &md, nil, eps, flags), "layernorm desc")
            return (Primitive(&desc, name: "layernorm \(c)"), md, DNNL.md([c], dnnl_a))
        }
        let out = Tensor(uninitializedShape: x.shape)
        prim.execute([
            (DNNL.argSrc, md, UnsafeMutableRawPointer(x.data)),
            (DNNL.argDst, md, UnsafeMutableRawPointer(out.data)),
            (DNNL.argScale, cmd, UnsafeMutableRawPointer(weight.data)),
            (DNNL.argShift, cmd, UnsafeMutableRawPointer(bias.data)),
        ])
        return out
    }
}

/// Layer normalisation for training (plain Swift, rows in parallel): the forward keeps each row's
/// mean and reciprocal standard deviation for the backward pass.
public enum LayerNormTraining {
    /// `y = (x - mean) * rstd * weight + bias` per row of `[..., C]` (biased variance, as PyTorch).
    public static func forward(_ x: Tensor, weight: Tensor, bias: Tensor, eps: Float) -> (y: Tensor, mean: Tensor, rstd: Tensor) {
        let c = weight.count, rows = x.count / c
        precondition(x.shape.last == c, "layer norm expects last dim \(c), got \(x.shape)")
        let y = Tensor(uninitializedShape: x.shape)
        let mean = Tensor(uninitializedShape: [rows]), rstd = Tensor(uninitializedShape: [rows])
        parallelFor(rows, minimumPerThread: 16) { range in
            for r in range {
                let src = x.data + r * c, dst = y.data + r * c
                var s: Float = 0
                for j in 0..<c { s += src[j] }
                let m = s / Float(c)
                var v: Float = 0
                for j in 0..<c { let t = src[j] - m; v += t * t }
                let inv = 1 / (v / Float(c) + eps).squareRoot()
                for j in 0..<c { dst[j] = (src[j] - m) * inv * weight.data[j] + bias.data[j] }
                mean.data[r] = m
                rstd.data[r] = inv
            }
        }
        return (y, mean, rstd)
    }

    /// dx, dweight, dbias for `forward`:
    /// `dx = rstd * (g - mean(g) - xhat * mean(g * xhat))` with `g = dy * weight`.
    public static func backward(_ dy: Tensor, x: Tensor, weight: Tensor, mean: Tensor, rstd: Tensor)
        -> (dx: Tensor, dweight: Tensor, dbias: Tensor) {
        let c = weight.count, rows = x.count / c
        let dx = Tensor(uninitializedShape: x.shape)
        parallelFor(rows, minimumPerThread: 16) { range in
            for r in range {
                let g = dy.data + r * c, src = x.data + r * c, d = dx.data + r * c
                let m = mean.data[r], inv = rstd.data[r]
                var sg: Float = 0, sgx: Float = 0
                for j in 0..<c {
                    let gw = g[j] * weight.data[j]
                    sg += gw
                    sgx += gw * (src[j] - m) * inv
                }
                sg /= Float(c); sgx /= Float(c)
                for j in 0..<c {
                    let xhat = (src[j] - m) * inv
                    d[j] = inv * (g[j] * weight.data[j] - sg - xhat * sgx)
                }
            }
        }
        let dw = Tensor(uninitializedShape: [c]), db = Tensor(uninitializedShape: [c])
        columnSums(rows: rows, width: c, into: dw.data) { r, acc in
            let g = dy.data + r * c, src = x.data + r * c
            let m = mean.data[r], inv = rstd.data[r]
            for j in 0..<c { acc[j] += g[j] * (src[j] - m) * inv }
        }
        columnSums(rows: rows, width: c, into: db.data) { r, acc in
            let g = dy.data + r * c
            for j in 0..<c { acc[j] += g[j] }
        }
        return (dx, dw, db)
    }
}
