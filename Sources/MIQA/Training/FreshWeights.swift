import Foundation
import Tensor

/// Fresh weights for training from scratch (`--init none`), PyTorch's default initialisation by
/// parameter kind: convolution and linear weights and their biases uniform in
/// `±1/sqrt(fan_in)` (what `kaiming_uniform_(a=sqrt 5)` amounts to), norm scales 1 and shifts 0,
/// BatchNorm running mean 0 and variance 1, class tokens and position embeddings N(0, 0.02)
/// (timm). Seeded, so a run reproduces.
enum FreshWeights {
    static func make(_ config: ArchitectureConfig, seed: UInt64) -> [String: Tensor] {
        guard let expected = try? ModelRegistry.expectedParameters(config) else { return [:] }
        let shapes = Dictionary(expected.map { ($0.name, $0.shape) }, uniquingKeysWith: { a, _ in a })
        var g = DropoutGenerator(seed: seed ^ 0xF4E5)
        var out: [String: Tensor] = [:]
        func uniform(_ shape: [Int], bound: Float) -> Tensor {
            let t = Tensor(uninitializedShape: shape)
            for i in 0..<t.count { t.data[i] = (2 * g.nextUnit() - 1) * bound }
            return t
        }
        func normal(_ shape: [Int], std: Float) -> Tensor {
            let t = Tensor(uninitializedShape: shape)
            for i in 0..<t.count {
                let u1 = max(g.nextUnit(), 1e-7), u2 = g.nextUnit()
                t.data[i] = std * (-2 * logf(u1)).squareRoot() * cosf(2 * .pi * u2)
            }
            return t
        }
        for (name, shape) in expected {
            let count = shape.reduce(1, *)
            if name.hasSuffix("running_mean") {
                out[name] = Tensor(zeros: shape)
            } else if name.hasSuffix("running_var") {
                out[name] = Tensor(shape: shape, values: [Float](repeating: 1, count: count))
            } else if name.hasSuffix("cls_token") || name.hasSuffix("pos_embed") {
                out[name] = normal(shape, std: 0.02)
            } else if name.hasSuffix(".weight") && shape.count == 1 {
                out[name] = Tensor(shape: shape, values: [Float](repeating: 1, count: count))
            } else if name.hasSuffix("bias") {
                let weightName = name.hasSuffix("in_proj_bias") ? String(name.dropLast(4)) + "weight"
                    : String(name.dropLast(4)) + "weight"
                if let w = shapes[weightName], w.count > 1 {
                    out[name] = uniform(shape, bound: 1 / Float(w.dropFirst().reduce(1, *)).squareRoot())
                } else {
                    out[name] = Tensor(zeros: shape) // norm shifts
                }
            } else {
                out[name] = uniform(shape, bound: 1 / Float(max(1, shape.dropFirst().reduce(1, *))).squareRoot())
            }
        }
        return out
    }
}
