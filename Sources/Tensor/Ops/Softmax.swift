import Foundation
import CDNNL

/// Softmax over the last dimension, in place (oneDNN's numerically stable softmax), and its
/// backward for training (`backwardInPlace`: dx = y * (dy - sum(dy * y))).
public enum Softmax {
    private static let plans = PrimitiveCache<(Primitive, dnnl_memory_desc_t)>()

    /// Replaces each row of `x` (`[..., C]`) by its softmax.
    public static func inPlace(_ x: Tensor) {
        let c = x.shape.last!
        let rows = x.count / c
        let (prim, md) = plans.get("\(rows)x\(c)") {
            var md = DNNL.md([rows, c], dnnl_ab)
            var desc = dnnl_softmax_desc_t()
            DNNL.check(dnnl_softmax_forward_desc_init(&desc, dnnl_forward_inference, &md, 1), "softmax desc")
            return (Primitive(&desc, name: "softmax \(c)"), md)
        }
        prim.execute([
            (DNNL.argSrc, md, UnsafeMutableRawPointer(x.data)),
            (DNNL.argDst, md, UnsafeMutableRawPointer(x.data)),
        ])
    }
}

extension Softmax {
    /// Backward of a row softmax in place on `dy`: `dx = y * (dy - sum(dy * y))` per row, times
    /// `scale` (folds the scaling of the softmax input into this pass).
    public static func backwardInPlace(_ dy: Tensor, y: Tensor, scale: Float = 1) {
        let c = y.shape.last!
        let rows = y.count / c
        parallelFor(rows, minimumPerThread: 16) { range in
            for r in range {
                let g = dy.data + r * c, p = y.data + r * c
                var dot: Float = 0
                for j in 0..<c { dot += g[j] * p[j] }
                for j in 0..<c { g[j] = scale * p[j] * (g[j] - dot) }
            }
        }
    }
}
