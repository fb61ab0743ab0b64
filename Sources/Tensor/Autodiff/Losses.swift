import Foundation

/// Regression losses on raw predictions, mean over all elements (PyTorch `reduction="mean"`).
public enum Loss: String, Sendable, CaseIterable {
    /// Mean squared error, `mean((p - t)^2)`.
    case mse
    /// PyTorch's `SmoothL1Loss(beta: 0.5)`: `0.5 d^2 / beta` where `|d| < beta`, else
    /// `|d| - 0.5 beta`. (PyTorch's `HuberLoss(delta: 0.5)` is this times 0.5; we follow the
    /// original's "beta" wording, i.e. SmoothL1.)
    case huber
    /// Mean absolute error, `mean(|p - t|)` (gradient 0 where `p == t`, as PyTorch's sign).
    case l1

    /// The beta of the Huber (SmoothL1) loss.
    public static let huberBeta: Float = 0.5

    /// The loss of `prediction` against `target` (same element count) as a scalar variable.
    public func callAsFunction(_ prediction: Variable, target: Tensor, tape: Tape?) -> Variable {
        let n = prediction.value.count
        precondition(target.count == n, "loss: \(n) predictions for \(target.count) targets")
        var total: Double = 0
        let grad = Tensor(uninitializedShape: prediction.value.shape)
        let beta = Loss.huberBeta
        for i in 0..<n {
            let d = prediction.value.data[i] - target.data[i]
            switch self {
            case .mse:
                total += Double(d * d)
                grad.data[i] = 2 * d / Float(n)
            case .huber:
                if abs(d) < beta {
                    total += Double(0.5 * d * d / beta)
                    grad.data[i] = d / beta / Float(n)
                } else {
                    total += Double(abs(d) - 0.5 * beta)
                    grad.data[i] = (d > 0 ? 1 : -1) / Float(n)
                }
            case .l1:
                total += Double(abs(d))
                grad.data[i] = (d > 0 ? 1 : d < 0 ? -1 : 0) / Float(n)
            }
        }
        let value = Tensor(shape: [1], values: [Float(total / Double(n))])
        guard let tape = tape.recording(prediction) else { return Variable(value) }
        let out = Variable(value, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            let s = dy.data[0]
            for i in 0..<n { grad.data[i] *= s }
            prediction.addGrad(grad)
        }
        return out
    }
}
