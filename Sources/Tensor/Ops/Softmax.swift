import Foundation
import CDNNL

/// Softmax over the last dimension, in place (oneDNN's numerically stable softmax).
/// Backward (dx = y * (dy - sum(dy * y))) joins this file with the training work.
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
