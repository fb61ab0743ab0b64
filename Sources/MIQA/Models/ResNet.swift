import Foundation
import Tensor

/// torchvision's ResNet (v1.5: the stride sits on the 3x3 convolution of a bottleneck) with the
/// classifier replaced by `fc = Linear(features, outputs)`, as the original MIQA baselines do.
/// BatchNorm is folded into the convolutions; ReLU and the residual add are fused into them.
final class ResNet: Model {
    let config: ArchitectureConfig
    private let stem: Conv2dKernel
    private let blocks: [ResidualBlock]
    private let fc: LinearKernel

    init(_ config: ArchitectureConfig, _ store: ParameterStore) throws {
        self.config = config
        let bottleneck = try config.require(config.block, "block") == "bottleneck"
        let layers = try config.require(config.layers, "layers")
        let widths = try config.require(config.widths, "widths")
        let stemWidth = try config.require(config.stemWidth, "stem_width")
        let expansion = bottleneck ? 4 : 1
        stem = BatchNormFolding.convBN(store, conv: "conv1", bn: "bn1", eps: 1e-5, inChannels: 3, outChannels: stemWidth,
                                       kernel: 7, stride: 2, padding: .symmetric(3), postOps: [.relu])
        var channels = stemWidth
        var blocks: [ResidualBlock] = []
        for (stage, (count, width)) in zip(layers, widths).enumerated() {
            for i in 0..<count {
                let stride = (i == 0 && stage > 0) ? 2 : 1
                let prefix = "layer\(stage + 1).\(i)"
                blocks.append(ResidualBlock(store, prefix: prefix, inChannels: channels, width: width,
                                            expansion: expansion, stride: stride, bottleneck: bottleneck))
                channels = width * expansion
            }
        }
        self.blocks = blocks
        fc = LinearKernel(weight: store.take("fc.weight", [config.numOutputs, channels]),
                          bias: store.take("fc.bias", [config.numOutputs]))
    }

    func forward(_ views: [Tensor]) -> Tensor {
        var x = Pooling.max2d(stem(views[0]), kernel: 3, stride: 2, padding: 1)
        for block in blocks { x = block(x) }
        return fc(Pooling.globalAverage(x))
    }
}

/// A BasicBlock or Bottleneck; the last convolution adds the shortcut and applies ReLU in place.
private struct ResidualBlock {
    let convs: [Conv2dKernel]
    let downsample: Conv2dKernel?

    init(_ store: ParameterStore, prefix: String, inChannels: Int, width: Int, expansion: Int, stride: Int, bottleneck: Bool) {
        let out = width * expansion
        if bottleneck {
            convs = [
                BatchNormFolding.convBN(store, conv: "\(prefix).conv1", bn: "\(prefix).bn1", eps: 1e-5, inChannels: inChannels,
                                        outChannels: width, kernel: 1, padding: .symmetric(0), postOps: [.relu]),
                BatchNormFolding.convBN(store, conv: "\(prefix).conv2", bn: "\(prefix).bn2", eps: 1e-5, inChannels: width,
                                        outChannels: width, kernel: 3, stride: stride, padding: .symmetric(1), postOps: [.relu]),
                BatchNormFolding.convBN(store, conv: "\(prefix).conv3", bn: "\(prefix).bn3", eps: 1e-5, inChannels: width,
                                        outChannels: out, kernel: 1, padding: .symmetric(0), postOps: [.accumulate, .relu]),
            ]
        } else {
            convs = [
                BatchNormFolding.convBN(store, conv: "\(prefix).conv1", bn: "\(prefix).bn1", eps: 1e-5, inChannels: inChannels,
                                        outChannels: width, kernel: 3, stride: stride, padding: .symmetric(1), postOps: [.relu]),
                BatchNormFolding.convBN(store, conv: "\(prefix).conv2", bn: "\(prefix).bn2", eps: 1e-5, inChannels: width,
                                        outChannels: out, kernel: 3, padding: .symmetric(1), postOps: [.accumulate, .relu]),
            ]
        }
        if stride != 1 || inChannels != out {
            downsample = BatchNormFolding.convBN(store, conv: "\(prefix).downsample.0", bn: "\(prefix).downsample.1", eps: 1e-5,
                                                 inChannels: inChannels, outChannels: out, kernel: 1, stride: stride,
                                                 padding: .symmetric(0), postOps: [])
        } else {
            downsample = nil
        }
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        // The shortcut buffer becomes the block's output: the last conv accumulates into it.
        let shortcut = downsample.map { $0(x) } ?? x
        var h = x
        for conv in convs.dropLast() { h = conv(h) }
        return convs.last!(h, accumulate: shortcut)
    }
}
