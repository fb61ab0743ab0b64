import Foundation

/// Element-wise activations in their ONNX definitions, applied to any tensor (layout does not
/// matter): the operators with no fused oneDNN post-op in the imported graph.
public enum Pointwise: Sendable, Equatable {
    case relu
    case leakyRelu(alpha: Float)
    case clip(min: Float, max: Float)
    case sigmoid
    /// max(0, min(1, alpha * x + beta)).
    case hardSigmoid(alpha: Float, beta: Float)
    /// x * max(0, min(1, x / 6 + 1/2)).
    case hardSwish
    case tanh

    /// The result as a new tensor of the same shape.
    public func applied(to x: Tensor) -> Tensor {
        let out = Tensor(uninitializedShape: x.shape)
        let s = x.data, d = out.data
        let n = x.count
        parallelFor(n, minimumPerThread: 1 << 14) { range in
            switch self {
            case .relu: for i in range { d[i] = Swift.max(s[i], 0) }
            case let .leakyRelu(alpha): for i in range { d[i] = s[i] >= 0 ? s[i] : alpha * s[i] }
            case let .clip(lo, hi): for i in range { d[i] = Swift.min(Swift.max(s[i], lo), hi) }
            case .sigmoid: for i in range { d[i] = 1 / (1 + Foundation.exp(-s[i])) }
            case let .hardSigmoid(alpha, beta): for i in range { d[i] = Swift.max(0, Swift.min(1, alpha * s[i] + beta)) }
            case .hardSwish: for i in range { d[i] = s[i] * Swift.max(0, Swift.min(1, s[i] / 6 + 0.5)) }
            case .tanh: for i in range { d[i] = Foundation.tanh(s[i]) }
            }
        }
        return out
    }
}
