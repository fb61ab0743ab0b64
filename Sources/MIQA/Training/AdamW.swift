import Foundation
import Tensor

/// PyTorch's `torch.optim.AdamW` (single-tensor path), step for step:
///
///     p *= 1 - lr * wd                       (decoupled weight decay, only where `decays(name, shape)`)
///     m = m + (g - m) * (1 - beta1)
///     v = v * beta2 + (1 - beta2) * g * g
///     p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
///
/// Weight decay applies to tensors with more than one dimension whose name does not end in
/// `.bias`; biases and 1-D parameters (norm scales) get none (the original's parameter groups).
public final class AdamW {
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var eps: Float = 1e-8
    public var weightDecay: Float
    /// Updates done so far (PyTorch's per-parameter `step`, equal for all parameters here).
    public private(set) var step = 0
    private var m: [String: Tensor] = [:]
    private var v: [String: Tensor] = [:]

    public init(weightDecay: Float = 1e-4) { self.weightDecay = weightDecay }

    /// Whether a parameter gets weight decay.
    public static func decays(_ name: String, shape: [Int]) -> Bool { shape.count > 1 && !name.hasSuffix(".bias") }

    /// One update of every parameter that has a gradient, at learning rate `lr`.
    public func update(_ parameters: [(name: String, variable: Variable)], lr: Float) {
        step += 1
        let bc1 = 1 - pow(Double(beta1), Double(step))
        let bc2Sqrt = (1 - pow(Double(beta2), Double(step))).squareRoot()
        let stepSize = Float(Double(lr) / bc1)
        let (b1, b2, eps) = (beta1, beta2, eps)
        for (name, variable) in parameters {
            guard let g = variable.grad else { continue }
            let p = variable.value
            let mt = m[name] ?? Tensor(zeros: p.shape), vt = v[name] ?? Tensor(zeros: p.shape)
            m[name] = mt; v[name] = vt
            let decay: Float = AdamW.decays(name, shape: p.shape) ? 1 - lr * weightDecay : 1
            let bc2 = Float(bc2Sqrt)
            parallelFor(p.count, minimumPerThread: 1 << 14) { range in
                for i in range {
                    let gi = g.data[i]
                    p.data[i] *= decay
                    mt.data[i] += (gi - mt.data[i]) * (1 - b1)
                    vt.data[i] = vt.data[i] * b2 + (1 - b2) * gi * gi
                    let denom = vt.data[i].squareRoot() / bc2 + eps
                    p.data[i] -= stepSize * mt.data[i] / denom
                }
            }
        }
    }

    /// The optimiser state as named tensors (`adamw.m.<name>`, `adamw.v.<name>`, `adamw.step`).
    public func exportState() -> [String: Tensor] {
        var out: [String: Tensor] = ["adamw.step": Tensor(shape: [1], values: [Float(step)])]
        for (k, t) in m { out["adamw.m." + k] = t.copy() }
        for (k, t) in v { out["adamw.v." + k] = t.copy() }
        return out
    }

    /// Restores `exportState()`.
    public func importState(_ state: [String: Tensor]) {
        step = Int(state["adamw.step"]?.data[0] ?? 0)
        m = [:]; v = [:]
        for (k, t) in state {
            if k.hasPrefix("adamw.m.") { m[String(k.dropFirst(8))] = t.copy() }
            if k.hasPrefix("adamw.v.") { v[String(k.dropFirst(8))] = t.copy() }
        }
    }
}

/// The learning rate at each iteration: linear warm-up, then cosine decay to a floor.
///
/// With `W` warm-up iterations, `T` iterations in all and iteration index `s` (0-based, the
/// update about to be made):
///
///     s < W:   lr(s) = start + (base - start) * s / W
///     s >= W:  lr(s) = floor + (base - floor) * (1 + cos(pi * (s - W) / (T - W))) / 2
///
/// with `start` = 5e-6 and `floor` = 1e-8 in the original recipe (stepped every iteration).
public struct CosineSchedule: Sendable {
    public var base: Double
    public var start: Double = 5e-6
    public var floor: Double = 1e-8
    public var warmupSteps: Int
    public var totalSteps: Int

    public init(base: Double, warmupSteps: Int, totalSteps: Int, start: Double = 5e-6, floor: Double = 1e-8) {
        self.base = base
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.start = start
        self.floor = floor
    }

    public func lr(at s: Int) -> Double {
        if s < warmupSteps { return start + (base - start) * Double(s) / Double(warmupSteps) }
        let span = max(1, totalSteps - warmupSteps)
        let t = min(1, Double(s - warmupSteps) / Double(span))
        return floor + (base - floor) * (1 + cos(Double.pi * t)) / 2
    }
}
