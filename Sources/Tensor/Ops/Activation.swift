import Foundation

/// An element-wise activation with its derivative. Training applies it as its own op; inference
/// fuses it into the preceding kernel (`postOp`) or, after a kernel without post-ops (LayerNorm),
/// applies it in place.
public enum ActivationKind: String, Sendable, CaseIterable {
    case relu, relu6, silu, gelu, sigmoid

    /// The same activation as a oneDNN post-op of the kernel before it.
    public var postOp: PostOp {
        switch self {
        case .relu: return .relu
        case .relu6: return .relu6
        case .silu: return .silu
        case .gelu: return .gelu
        case .sigmoid: return .sigmoid
        }
    }

    /// `y = f(x)` into a new tensor.
    public func forward(_ x: Tensor) -> Tensor {
        let y = Tensor(uninitializedShape: x.shape)
        apply(x, into: y)
        return y
    }

    /// `x = f(x)`.
    public func applyInPlace(_ x: Tensor) { apply(x, into: x) }

    private func apply(_ x: Tensor, into y: Tensor) {
        defer { withExtendedLifetime((x, y)) {} }
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
