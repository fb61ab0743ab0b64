import Foundation
import Tensor

extension ParameterStore {
    /// A store that invents every parameter a model asks for: small deterministic pseudo-random
    /// values (BatchNorm variances near 1). For benchmarks and for listing an architecture's
    /// expected keys; never for scoring.
    public static func random(seed: UInt64) -> ParameterStore {
        ParameterStore(generator: RandomParameterGenerator(seed: seed))
    }
}

/// Deterministic parameter values (xorshift), so two runs benchmark the same numbers.
final class RandomParameterGenerator {
    private var state: UInt64
    /// Every (name, shape) asked for, in order.
    private(set) var requested: [(String, [Int])] = []

    init(seed: UInt64) { state = seed &* 0x9E3779B97F4A7C15 | 1 }

    func make(_ name: String, _ shape: [Int]) -> Tensor {
        requested.append((name, shape))
        let t = Tensor(uninitializedShape: shape)
        let fanIn = shape.count > 1 ? shape.dropFirst().reduce(1, *) : 1
        let scale = Float(1 / Double(max(1, fanIn)).squareRoot())
        for i in 0..<t.count {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let u = Float(state % 1_000_001) / 1_000_000 // 0...1
            if name.hasSuffix("running_var") {
                t.data[i] = 0.5 + u
            } else if name.hasSuffix("norm1.weight") || name.hasSuffix("norm2.weight") || name.hasSuffix("norm.weight")
                        || name.hasSuffix("ln1.weight") || name.hasSuffix("ln2.weight") || name.hasSuffix("_bn0.weight") {
                t.data[i] = 0.5 + u
            } else {
                t.data[i] = (2 * u - 1) * scale
            }
        }
        return t
    }
}
