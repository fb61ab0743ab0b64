import Foundation

/// Activations applied on their own (most are fused into a convolution or matmul as post-ops).
public enum Activation {
    /// Exact GELU, `x * (1 + erf(x / sqrt 2)) / 2`, in place. Used on small tensors only
    /// (a projected token); large ones get GELU fused into their matmul.
    public static func gelu(_ x: Tensor) {
        for i in 0..<x.count {
            let v = x.data[i]
            x.data[i] = 0.5 * v * (1 + erff(v * 0.70710678118654752))
        }
    }
}
