import Foundation

/// Differentiable ops: each computes its forward value with the kernels in `Ops/` and, when a
/// tape is given and an input requires a gradient, records the matching backward kernel.
/// Passing `nil` for the tape gives the plain forward (validation, frozen parts).
public enum Differentiable {
    /// Convolution (any padding, groups, optional bias) on `[N, H, W, C]`.
    public static func conv2d(_ x: Variable, _ kernel: Conv2dTrainingKernel, weight: Variable, bias: Variable?,
                              tape: Tape?) -> Variable {
        let y = kernel.forward(x.value, weight: weight.value, bias: bias?.value)
        guard let tape = tape.recording(x, weight, bias) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            if weight.requiresGrad || bias?.requiresGrad == true {
                let (dw, db) = kernel.backwardWeights(dy, input: x.value)
                weight.addGrad(dw)
                if let db { bias?.addGrad(db) }
            }
            if x.requiresGrad { x.addGrad(kernel.backwardData(dy, weight: weight.value, inputShape: x.value.shape)) }
        }
        return out
    }

    /// BatchNorm in train mode (batch statistics; the running statistics are updated in place
    /// with `momentum`, PyTorch's convention) or eval mode (running statistics), on `[N, H, W, C]`.
    public static func batchNorm(_ x: Variable, _ kernel: BatchNormKernel, gamma: Variable, beta: Variable,
                                 runningMean: Tensor, runningVariance: Tensor, momentum: Float, training: Bool,
                                 tape: Tape?) -> Variable {
        if training {
            let (y, mean, variance) = kernel.forwardTraining(x.value, gamma: gamma.value, beta: beta.value)
            BatchNormKernel.updateRunning(mean: runningMean, variance: runningVariance, batchMean: mean, batchVariance: variance,
                                          elementsPerChannel: x.value.count / kernel.channels, momentum: momentum)
            guard let tape = tape.recording(x, gamma, beta) else { return Variable(y) }
            let out = Variable(y, requiresGrad: true)
            tape.record {
                guard let dy = out.grad else { return }
                let (dx, dg, db) = kernel.backwardTraining(dy, x: x.value, gamma: gamma.value, mean: mean, variance: variance)
                gamma.addGrad(dg); beta.addGrad(db); x.addGrad(dx)
            }
            return out
        }
        let y = kernel.forwardInference(x.value, gamma: gamma.value, beta: beta.value, mean: runningMean, variance: runningVariance)
        guard let tape = tape.recording(x, gamma, beta) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        let mean = runningMean.copy(), variance = runningVariance.copy()
        tape.record {
            guard let dy = out.grad else { return }
            let (dx, dg, db) = kernel.backwardInference(dy, x: x.value, gamma: gamma.value, mean: mean, variance: variance)
            gamma.addGrad(dg); beta.addGrad(db); x.addGrad(dx)
        }
        return out
    }

    /// An element-wise activation.
    public static func activation(_ x: Variable, _ kind: ActivationKind, tape: Tape?) -> Variable {
        let y = kind.forward(x.value)
        guard let tape = tape.recording(x) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            x.addGrad(kind.backward(dy, x: x.value, y: y))
        }
        return out
    }

    /// `a + b` (same shape): residual connections.
    public static func add(_ a: Variable, _ b: Variable, tape: Tape?) -> Variable {
        let y = Elementwise.sum(a.value, b.value)
        guard let tape = tape.recording(a, b) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            if a.requiresGrad && b.requiresGrad {
                a.addGrad(dy.copy())
                b.addGrad(dy)
            } else {
                a.addGrad(dy); b.addGrad(dy)
            }
        }
        return out
    }

    /// `x W^T + b` over the last dimension (`weight` `[out, in]`).
    public static func linear(_ x: Variable, weight: Variable, bias: Variable?, tape: Tape?) -> Variable {
        let y = LinearTraining.forward(x.value, weight: weight.value, bias: bias?.value)
        guard let tape = tape.recording(x, weight, bias) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            if weight.requiresGrad || bias?.requiresGrad == true {
                let (dw, db) = LinearTraining.backwardWeights(dy, input: x.value, withBias: bias != nil)
                weight.addGrad(dw)
                if let db { bias?.addGrad(db) }
            }
            if x.requiresGrad { x.addGrad(LinearTraining.backwardData(dy, weight: weight.value, inputShape: x.value.shape)) }
        }
        return out
    }

    /// Layer normalisation over the last dimension.
    public static func layerNorm(_ x: Variable, weight: Variable, bias: Variable, eps: Float, tape: Tape?) -> Variable {
        let (y, mean, rstd) = LayerNormTraining.forward(x.value, weight: weight.value, bias: bias.value, eps: eps)
        guard let tape = tape.recording(x, weight, bias) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            let (dx, dw, db) = LayerNormTraining.backward(dy, x: x.value, weight: weight.value, mean: mean, rstd: rstd)
            weight.addGrad(dw); bias.addGrad(db); x.addGrad(dx)
        }
        return out
    }

    /// Multi-head self-attention on a packed QKV projection `[B, N, 3D]` -> `[B, N, D]`.
    public static func attention(_ qkv: Variable, heads: Int, tape: Tape?) -> Variable {
        let (y, probs) = AttentionTraining.forward(qkv.value, heads: heads)
        guard let tape = tape.recording(qkv) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            qkv.addGrad(AttentionTraining.backward(dy, qkv: qkv.value, probs: probs, heads: heads))
        }
        return out
    }

    /// Max pooling with a square window on `[N, H, W, C]`.
    public static func maxPool2d(_ x: Variable, kernel: Int, stride: Int, padding: Int, tape: Tape?) -> Variable {
        let (y, argmax) = Pooling.max2dTraining(x.value, kernel: kernel, stride: stride, padding: padding)
        guard let tape = tape.recording(x) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            x.addGrad(Pooling.max2dBackward(dy, argmax: argmax, inputShape: x.value.shape))
        }
        return out
    }

    /// Mean over positions: `[N, H, W, C]` or `[N, T, C]` -> `[N, C]`.
    public static func globalAveragePool(_ x: Variable, tape: Tape?) -> Variable {
        let y = Pooling.globalAverage(x.value)
        guard let tape = tape.recording(x) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            x.addGrad(Pooling.globalAverageBackward(dy, inputShape: x.value.shape))
        }
        return out
    }

    /// `x[n, ..., c] * scale[n, c]` (squeeze-and-excitation's rescale).
    public static func scaleChannels(_ x: Variable, by scale: Variable, tape: Tape?) -> Variable {
        let y = Elementwise.scaledChannels(x.value, by: scale.value)
        guard let tape = tape.recording(x, scale) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            let (dx, ds) = Elementwise.scaledChannelsBackward(dy, x: x.value, scale: scale.value)
            scale.addGrad(ds); x.addGrad(dx)
        }
        return out
    }

    /// The same values under another shape of equal element count (no copy).
    public static func reshape(_ x: Variable, _ shape: [Int], tape: Tape?) -> Variable {
        let y = Tensor(sharing: x.value, shape: shape)
        guard let tape = tape.recording(x) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            x.addGrad(Tensor(sharing: dy, shape: x.value.shape))
        }
        return out
    }
}
