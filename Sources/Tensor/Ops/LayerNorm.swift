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
