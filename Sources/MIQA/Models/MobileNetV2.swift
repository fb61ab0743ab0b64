import Foundation
import Tensor

/// torchvision's MobileNetV2, the ImageNet classifier (`mobilenet_v2-b0353104.pth`) used as a
/// downstream machine: inverted residual blocks with ReLU6, BatchNorm eps 1e-5 folded into the
/// convolutions, PyTorch padding `(k - 1) / 2`, `classifier.1` after global average pooling
/// (the dropout before it is the identity at inference).
///
/// `width_mult` scales every width with torchvision's `_make_divisible(c * width, 8)`, except
/// the last convolution, which never narrows below 1280 (`1280 * max(1, width)`).
final class MobileNetV2: Model {
    let config: ArchitectureConfig
    private let stem: Conv2dKernel
    private let blocks: [InvertedResidual]
    private let head: Conv2dKernel
    private let classifier: LinearKernel

    /// torchvision's inverted residual settings: (expand ratio t, channels c, repeats n, stride s).
    static let settings: [(Int, Int, Int, Int)] = [
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    ]
    static let eps: Float = 1e-5

    init(_ config: ArchitectureConfig, _ store: ParameterStore) throws {
        self.config = config
        let width = try config.require(config.widthMult, "width_mult")
        let adjust = { (c: Int) in EfficientNet.makeDivisible(Double(c) * width) }
        var channels = adjust(32)
        stem = BatchNormFolding.convBN(store, conv: "features.0.0", bn: "features.0.1", eps: Self.eps, inChannels: 3,
                                       outChannels: channels, kernel: 3, stride: 2, padding: .symmetric(1), postOps: [.relu6])
        var blocks: [InvertedResidual] = []
        for (expand, c, n, s) in Self.settings {
            let output = adjust(c)
            for i in 0..<n {
                blocks.append(InvertedResidual(store, prefix: "features.\(blocks.count + 1).conv", input: channels, output: output,
                                               expand: expand, stride: i == 0 ? s : 1))
                channels = output
            }
        }
        self.blocks = blocks
        let last = EfficientNet.makeDivisible(1280 * max(1, width))
        let headIndex = blocks.count + 1
        head = BatchNormFolding.convBN(store, conv: "features.\(headIndex).0", bn: "features.\(headIndex).1", eps: Self.eps,
                                       inChannels: channels, outChannels: last, kernel: 1, padding: .symmetric(0), postOps: [.relu6])
        classifier = LinearKernel(weight: store.take("classifier.1.weight", [config.numOutputs, last]),
                                  bias: store.take("classifier.1.bias", [config.numOutputs]))
    }

    func forward(_ views: [Tensor]) -> Tensor {
        var x = stem(views[0])
        for block in blocks { x = block(x) }
        return classifier(Pooling.globalAverage(head(x)))
    }
}

/// [expand 1x1 + ReLU6] -> depthwise 3x3 + ReLU6 -> linear 1x1 projection (+ identity when the
/// stride is 1 and the width is kept). Keys under `<prefix>`: with expansion `0` expand, `1`
/// depthwise, `2` projection, `3` its BatchNorm; without, `0` depthwise, `1` projection, `2` BN.
private struct InvertedResidual {
    let expand: Conv2dKernel?
    let depthwise: Conv2dKernel
    let project: Conv2dKernel
    let residual: Bool

    init(_ store: ParameterStore, prefix: String, input: Int, output: Int, expand ratio: Int, stride: Int) {
        let eps = MobileNetV2.eps
        // torchvision: `int(round(inp * expand_ratio))`; exact for integer ratios.
        let hidden = input * ratio
        var index = 0
        if ratio != 1 {
            expand = BatchNormFolding.convBN(store, conv: "\(prefix).0.0", bn: "\(prefix).0.1", eps: eps, inChannels: input,
                                             outChannels: hidden, kernel: 1, padding: .symmetric(0), postOps: [.relu6])
            index = 1
        } else {
            expand = nil
        }
        depthwise = BatchNormFolding.convBN(store, conv: "\(prefix).\(index).0", bn: "\(prefix).\(index).1", eps: eps,
                                            inChannels: hidden, outChannels: hidden, kernel: 3, stride: stride,
                                            padding: .symmetric(1), groups: hidden, postOps: [.relu6])
        residual = stride == 1 && input == output
        // The projection is a bare conv followed by its own BatchNorm entry, not a ConvBNReLU pair.
        project = BatchNormFolding.convBN(store, conv: "\(prefix).\(index + 1)", bn: "\(prefix).\(index + 2)", eps: eps,
                                          inChannels: hidden, outChannels: output, kernel: 1, padding: .symmetric(0),
                                          postOps: residual ? [.accumulate] : [])
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let h = depthwise(expand.map { $0(x) } ?? x)
        return residual ? project(h, accumulate: x) : project(h)
    }
}
