import Foundation
import Tensor

/// The tensors of one MTCNN stage (`pnet.`, `rnet.` or `onet.` keys of the installed
/// safetensors), taken one by one with their shapes checked, so that a wrong or damaged file
/// fails naming the file and the key instead of running with garbage.
struct MTCNNParameters {
    let tensors: [String: Tensor]
    let prefix: String
    /// The file the tensors came from, for error messages.
    let source: String
    private(set) var taken: Set<String> = []

    init(_ tensors: [String: Tensor], prefix: String, source: String) {
        self.tensors = tensors
        self.prefix = prefix
        self.source = source
    }

    /// The tensor `prefix + name`, which must have `shape`.
    mutating func take(_ name: String, _ shape: [Int]) throws -> Tensor {
        let key = prefix + name
        guard let t = tensors[key] else { throw DetectorError.badWeights("\(source): no tensor \(key) (an MTCNN file needs it)") }
        guard t.shape == shape else { throw DetectorError.badWeights("\(source): \(key) has shape \(t.shape), MTCNN needs \(shape)") }
        taken.insert(key)
        return t
    }

    /// Fails when the file holds keys of this stage that no layer took (a different network).
    func checkNothingLeft() throws {
        let left = tensors.keys.filter { $0.hasPrefix(prefix) && !taken.contains($0) }.sorted()
        guard left.isEmpty else { throw DetectorError.badWeights("\(source): unexpected tensors \(left.joined(separator: ", ")) for MTCNN") }
    }

    /// A `k x k` convolution (stride 1, no padding) of `inC -> outC` channels, followed by PReLU.
    mutating func convPReLU(_ conv: String, _ prelu: String, _ inC: Int, _ outC: Int, kernel k: Int) throws -> ConvPReLU {
        ConvPReLU(conv: Conv2dKernel(weight: try take("\(conv).weight", [outC, inC, k, k]), bias: try take("\(conv).bias", [outC]), padding: .symmetric(0)),
                  slopes: try take("\(prelu).weight", [outC]))
    }

    /// A plain convolution (no activation).
    mutating func conv(_ name: String, _ inC: Int, _ outC: Int, kernel k: Int) throws -> Conv2dKernel {
        Conv2dKernel(weight: try take("\(name).weight", [outC, inC, k, k]), bias: try take("\(name).bias", [outC]), padding: .symmetric(0))
    }

    /// A fully connected layer `inF -> outF`.
    mutating func linear(_ name: String, _ inF: Int, _ outF: Int) throws -> LinearKernel {
        LinearKernel(weight: try take("\(name).weight", [outF, inF]), bias: try take("\(name).bias", [outF]))
    }
}

/// A convolution and the per-channel PReLU after it.
struct ConvPReLU {
    let conv: Conv2dKernel
    let slopes: Tensor
    func callAsFunction(_ x: Tensor) -> Tensor { PReLU.forward(conv(x), slopes: slopes) }
    func fresh() -> ConvPReLU { ConvPReLU(conv: conv.fresh(), slopes: slopes) }
}

extension Conv2dKernel {
    /// A kernel with the same weights and no plans (MTCNN's convolutions are stride 1, ungrouped).
    func fresh() -> Conv2dKernel { Conv2dKernel(weight: weight, bias: bias, padding: padding) }
}
