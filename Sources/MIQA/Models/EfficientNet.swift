import Foundation
import Tensor

/// torchvision's EfficientNet (B0-B7 family) with `classifier = Linear(features, outputs)` as in the
/// original MIQA baselines. Blocks are MBConv with squeeze-and-excitation and SiLU.
final class EfficientNet: Model {
    let config: ArchitectureConfig
    private let stem: Conv2dKernel
    private let blocks: [MBConvBlock]
    private let head: Conv2dKernel
    private let classifier: LinearKernel

    /// torchvision's base table: (expand ratio, kernel, stride, in, out, layers) per stage.
    static let stages: [(Int, Int, Int, Int, Int, Int)] = [
        (1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
        (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1),
    ]

    /// torchvision's `_make_divisible(v, 8)`: round to the nearest multiple of 8, never below 8
    /// and never more than 10% under `v`.
    static func makeDivisible(_ v: Double, _ divisor: Int = 8) -> Int {
        var new = max(divisor, Int(v + Double(divisor) / 2) / divisor * divisor)
        if Double(new) < 0.9 * v { new += divisor }
        return new
    }

    init(_ config: ArchitectureConfig, _ store: ParameterStore) throws {
        self.config = config
        let width = try config.require(config.widthMult, "width_mult")
        let depth = try config.require(config.depthMult, "depth_mult")
        let eps = Float(try config.require(config.bnEps, "bn_eps"))
        let adjust = { (c: Int) in EfficientNet.makeDivisible(Double(c) * width) }
        let stemOut = adjust(32)
        stem = BatchNormFolding.convBN(store, conv: "features.0.0", bn: "features.0.1", eps: eps, inChannels: 3,
                                       outChannels: stemOut, kernel: 3, stride: 2, padding: .symmetric(1), postOps: [.silu])
        var blocks: [MBConvBlock] = []
        var lastOut = stemOut
        for (s, (expand, kernel, stride, cin, cout, n)) in EfficientNet.stages.enumerated() {
            let repeats = Int((Double(n) * depth).rounded(.up))
            for j in 0..<repeats {
                let input = j == 0 ? adjust(cin) : adjust(cout)
                blocks.append(MBConvBlock(store, prefix: "features.\(s + 1).\(j).block", eps: eps, input: input,
                                          output: adjust(cout), expand: expand, kernel: kernel, stride: j == 0 ? stride : 1))
            }
            lastOut = adjust(cout)
        }
        self.blocks = blocks
        let features = 4 * lastOut
        let headIndex = EfficientNet.stages.count + 1
        head = BatchNormFolding.convBN(store, conv: "features.\(headIndex).0", bn: "features.\(headIndex).1", eps: eps,
                                       inChannels: lastOut, outChannels: features, kernel: 1, padding: .symmetric(0), postOps: [.silu])
        classifier = LinearKernel(weight: store.take("classifier.weight", [config.numOutputs, features]),
                                  bias: store.take("classifier.bias", [config.numOutputs]))
    }

    func forward(_ views: [Tensor]) -> Tensor {
        var x = stem(views[0])
        for block in blocks { x = block(x) }
        return classifier(Pooling.globalAverage(head(x)))
    }
}

/// torchvision's MBConv: [expand 1x1] -> depthwise kxk -> squeeze-excitation -> project 1x1
/// (+ residual when the shape is kept; stochastic depth is the identity at inference).
private struct MBConvBlock {
    let expand: Conv2dKernel?
    let depthwise: Conv2dKernel
    let squeeze: LinearKernel
    let excite: LinearKernel
    let project: Conv2dKernel
    let residual: Bool

    init(_ store: ParameterStore, prefix: String, eps: Float, input: Int, output: Int, expand ratio: Int, kernel: Int, stride: Int) {
        let expanded = EfficientNet.makeDivisible(Double(input * ratio))
        var index = 0
        if ratio != 1 {
            expand = BatchNormFolding.convBN(store, conv: "\(prefix).0.0", bn: "\(prefix).0.1", eps: eps, inChannels: input,
                                             outChannels: expanded, kernel: 1, padding: .symmetric(0), postOps: [.silu])
            index += 1
        } else {
            expand = nil
        }
        depthwise = BatchNormFolding.convBN(store, conv: "\(prefix).\(index).0", bn: "\(prefix).\(index).1", eps: eps,
                                            inChannels: expanded, outChannels: expanded, kernel: kernel, stride: stride,
                                            padding: .symmetric((kernel - 1) / 2), groups: expanded, postOps: [.silu])
        index += 1
        let squeezed = max(1, input / 4)
        // SE's 1x1 convolutions on a pooled vector are plain linear layers.
        squeeze = LinearKernel(weight: store.take("\(prefix).\(index).fc1.weight", [squeezed, expanded, 1, 1]).reshaped([squeezed, expanded]),
                               bias: store.take("\(prefix).\(index).fc1.bias", [squeezed]), postOps: [.silu])
        excite = LinearKernel(weight: store.take("\(prefix).\(index).fc2.weight", [expanded, squeezed, 1, 1]).reshaped([expanded, squeezed]),
                              bias: store.take("\(prefix).\(index).fc2.bias", [expanded]), postOps: [.sigmoid])
        index += 1
        residual = stride == 1 && input == output
        project = BatchNormFolding.convBN(store, conv: "\(prefix).\(index).0", bn: "\(prefix).\(index).1", eps: eps,
                                          inChannels: expanded, outChannels: output, kernel: 1, padding: .symmetric(0),
                                          postOps: residual ? [.accumulate] : [])
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = expand.map { $0(x) } ?? x
        h = depthwise(h)
        Elementwise.scaleChannels(h, by: excite(squeeze(Pooling.globalAverage(h))))
        return residual ? project(h, accumulate: x) : project(h)
    }
}
