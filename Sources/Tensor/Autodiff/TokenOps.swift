import Foundation

extension Differentiable {
    /// `Tokens.assemble` (`[prefix tokens..., patch tokens] + position`) with its backward pass.
    public static func assembleTokens(prefix: [Variable], patches: Variable, position: Variable, tape: Tape?) -> Variable {
        let b = patches.value.shape[0], p = patches.value.shape[1], d = patches.value.shape[2]
        let n = prefix.count + p
        let y = Tokens.assemble(prefix: prefix.map(\.value), patches: patches.value, position: position.value)
        guard let tape = tape.recording(prefix + [patches, position]) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            if position.requiresGrad {
                let dp = Tensor(zeros: position.value.shape)
                for s in 0..<b {
                    let src = dy.data + s * n * d
                    for j in 0..<(n * d) { dp.data[j] += src[j] }
                }
                position.addGrad(dp)
            }
            for (i, t) in prefix.enumerated() where t.requiresGrad {
                let shared = t.value.count == d
                let g = Tensor(zeros: t.value.shape)
                for s in 0..<b {
                    let src = dy.data + (s * n + i) * d
                    let dst = shared ? g.data : g.data + s * d
                    for j in 0..<d { dst[j] += src[j] }
                }
                t.addGrad(g)
            }
            if patches.requiresGrad {
                let g = Tensor(uninitializedShape: patches.value.shape)
                for s in 0..<b { (g.data + s * p * d).update(from: dy.data + (s * n + prefix.count) * d, count: p * d) }
                patches.addGrad(g)
            }
        }
        return out
    }

    /// `Tokens.select` (token `index` of every sample) with its backward pass.
    public static func selectToken(_ x: Variable, index: Int, tape: Tape?) -> Variable {
        let b = x.value.shape[0], n = x.value.shape[1], d = x.value.shape[2]
        let y = Tokens.select(x.value, index: index)
        guard let tape = tape.recording(x) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            let g = Tensor(zeros: x.value.shape)
            for s in 0..<b { (g.data + (s * n + index) * d).update(from: dy.data + s * d, count: d) }
            x.addGrad(g)
        }
        return out
    }

    /// `Tokens.concatFeatures` (along the last dimension) with its backward pass.
    public static func concatFeatures(_ parts: [Variable], tape: Tape?) -> Variable {
        let b = parts[0].value.shape[0]
        let widths = parts.map { $0.value.count / b }
        let total = widths.reduce(0, +)
        let y = Tokens.concatFeatures(parts.map(\.value))
        guard let tape = tape.recording(parts) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            var offset = 0
            for (part, w) in zip(parts, widths) {
                if part.requiresGrad {
                    let g = Tensor(uninitializedShape: part.value.shape)
                    for s in 0..<b { (g.data + s * w).update(from: dy.data + s * total + offset, count: w) }
                    part.addGrad(g)
                }
                offset += w
            }
        }
        return out
    }

    /// Inverted dropout: zeroes each element with probability `p` and scales the rest by
    /// `1 / (1 - p)`, drawing from `generator` (seeded by the caller, so runs reproduce).
    /// `p == 0` is the identity and draws nothing.
    public static func dropout(_ x: Variable, p: Float, generator: inout DropoutGenerator, tape: Tape?) -> Variable {
        guard p > 0 else { return x }
        let keep = 1 - p
        let mask = Tensor(uninitializedShape: x.value.shape)
        for i in 0..<mask.count { mask.data[i] = generator.nextUnit() < keep ? 1 / keep : 0 }
        let y = Tensor(uninitializedShape: x.value.shape)
        for i in 0..<y.count { y.data[i] = x.value.data[i] * mask.data[i] }
        guard let tape = tape.recording(x) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            let g = Tensor(uninitializedShape: dy.shape)
            for i in 0..<g.count { g.data[i] = dy.data[i] * mask.data[i] }
            x.addGrad(g)
        }
        return out
    }
}

extension Differentiable {
    /// Stochastic depth ("drop path", torchvision `StochasticDepth(p, "row")`, the
    /// EfficientNet-Lite package's `drop_connect`): each sample's whole residual branch is zeroed
    /// with probability `p`, the kept ones scaled by `1 / (1 - p)`. `p == 0` is the identity.
    public static func dropPath(_ x: Variable, p: Float, generator: inout DropoutGenerator, tape: Tape?) -> Variable {
        guard p > 0 else { return x }
        let b = x.value.shape[0], per = x.value.count / b
        let keep = 1 - p
        let scale = (0..<b).map { _ in generator.nextUnit() < keep ? 1 / keep : Float(0) }
        let y = Tensor(uninitializedShape: x.value.shape)
        for s in 0..<b { for i in 0..<per { y.data[s * per + i] = x.value.data[s * per + i] * scale[s] } }
        guard let tape = tape.recording(x) else { return Variable(y) }
        let out = Variable(y, requiresGrad: true)
        tape.record {
            guard let dy = out.grad else { return }
            let g = Tensor(uninitializedShape: dy.shape)
            for s in 0..<b { for i in 0..<per { g.data[s * per + i] = dy.data[s * per + i] * scale[s] } }
            x.addGrad(g)
        }
        return out
    }
}

/// A small seeded generator for dropout masks (SplitMix64), with state that can be saved so a
/// resumed run draws the same masks.
public struct DropoutGenerator: Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func nextUnit() -> Float { Float(next() >> 40) / Float(1 << 24) }
}

extension Optional where Wrapped == Tape {
    func recording(_ inputs: [Variable]) -> Tape? {
        guard let tape = self else { return nil }
        return inputs.contains { $0.requiresGrad } ? tape : nil
    }
}
