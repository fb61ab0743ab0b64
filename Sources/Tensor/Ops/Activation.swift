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

/// An element-wise activation with its derivative, for training (inference fuses activations
/// into the preceding kernel as post-ops instead).
public enum ActivationKind: String, Sendable, CaseIterable {
    case relu, relu6, silu, gelu, sigmoid

    /// `y = f(x)` into a new tensor.
    public func forward(_ x: Tensor) -> Tensor {
        let y = Tensor(uninitializedShape: x.shape)
        let (src, dst) = (x.data, y.data)
        // One closure call per chunk, plain loops inside: the compiler vectorises them.
        chunks(x.count) { r in
            switch self {
            case .relu: for i in r { dst[i] = max(src[i], 0) }
            case .relu6: for i in r { dst[i] = min(max(src[i], 0), 6) }
            case .silu: for i in r { let v = src[i]; dst[i] = v / (1 + expf(-v)) }
            case .gelu: for i in r { let v = src[i]; dst[i] = 0.5 * v * (1 + erff(v * 0.70710678118654752)) }
            case .sigmoid: for i in r { dst[i] = 1 / (1 + expf(-src[i])) }
            }
        }
        return y
    }

    /// `dx = dy * f'(x)` (given the forward input `x` and output `y`). At the kinks the
    /// derivative is PyTorch's: 0 at x = 0 for ReLU, 0 at x = 0 and x = 6 for ReLU6.
    public func backward(_ dy: Tensor, x: Tensor, y: Tensor) -> Tensor {
        let dx = Tensor(uninitializedShape: x.shape)
        let (g, src, out, d) = (dy.data, x.data, y.data, dx.data)
        chunks(x.count) { r in
            switch self {
            case .relu: for i in r { d[i] = src[i] > 0 ? g[i] : 0 }
            case .relu6: for i in r { d[i] = (src[i] > 0 && src[i] < 6) ? g[i] : 0 }
            case .silu:
                for i in r {
                    let s = 1 / (1 + expf(-src[i]))
                    d[i] = g[i] * s * (1 + src[i] * (1 - s))
                }
            case .gelu:
                for i in r {
                    let v = src[i]
                    let cdf = 0.5 * (1 + erff(v * 0.70710678118654752))
                    let pdf = expf(-0.5 * v * v) * 0.39894228040143268
                    d[i] = g[i] * (cdf + v * pdf)
                }
            case .sigmoid: for i in r { d[i] = g[i] * out[i] * (1 - out[i]) }
            }
        }
        return dx
    }

    @inline(__always)
    private func chunks(_ n: Int, _ body: (Range<Int>) -> Void) {
        parallelFor(n, minimumPerThread: 1 << 14, body)
    }
}
