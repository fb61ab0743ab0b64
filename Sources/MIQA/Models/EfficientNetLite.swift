import Foundation
import Tensor

/// EfficientNet-Lite (the TensorFlow Lite variant, as packaged on PyPI by `efficientnet-lite-pytorch`
/// with lukemelas-style names): ReLU6, no squeeze-excitation, BatchNorm eps 1e-3, TensorFlow "same"
/// padding, stem (32) and head (1280) not scaled, and the first and last stages' repeats not scaled.
///
/// "Same" padding is computed from the actual input size. The PyTorch package fixes it at
/// construction for its nominal image size (224/240/260); both agree at that size.
final class EfficientNetLite: Model {
    let config: ArchitectureConfig
    private let stem: Conv2dKernel
    private let blocks: [LiteBlock]
    private let head: Conv2dKernel
    private let fc: LinearKernel

    /// (expand ratio, kernel, stride, in, out, repeats) per stage, from the TF Lite builder.
    static let stages: [(Int, Int, Int, Int, Int, Int)] = [
        (1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
        (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1),
    ]

    init(_ config: ArchitectureConfig, _ store: ParameterStore) throws {
        self.config = config
        let width = try config.require(config.widthMult, "width_mult")
        let depth = try config.require(config.depthMult, "depth_mult")
        let eps: Float = 1e-3
        // The TF rule is the same as torchvision's `_make_divisible` with divisor 8.
        let round = { (c: Int) in EfficientNet.makeDivisible(Double(c) * width) }
        stem = BatchNormFolding.convBN(store, conv: "_conv_stem", bn: "_bn0", eps: eps, inChannels: 3, outChannels: 32,
                                       kernel: 3, stride: 2, padding: .same, postOps: [.relu6])
        var blocks: [LiteBlock] = []
        var channels = 32
        for (s, (expand, kernel, stride, cin, cout, n)) in EfficientNetLite.stages.enumerated() {
            let fixed = s == 0 || s == EfficientNetLite.stages.count - 1
            let repeats = fixed ? n : Int((Double(n) * depth).rounded(.up))
            let input = s == 0 ? 32 : round(cin)
            let output = round(cout)
            for j in 0..<repeats {
                blocks.append(LiteBlock(store, prefix: "_blocks.\(blocks.count)", eps: eps, input: j == 0 ? input : output,
                                        output: output, expand: expand, kernel: kernel, stride: j == 0 ? stride : 1,
                                        firstInStage: j == 0))
            }
            channels = output
        }
        self.blocks = blocks
        head = BatchNormFolding.convBN(store, conv: "_conv_head", bn: "_bn1", eps: eps, inChannels: channels, outChannels: 1280,
                                       kernel: 1, padding: .same, postOps: [.relu6])
        fc = LinearKernel(weight: store.take("_fc.weight", [config.numOutputs, 1280]), bias: store.take("_fc.bias", [config.numOutputs]))
    }

    func forward(_ views: [Tensor]) -> Tensor {
        var x = stem(views[0])
        for block in blocks { x = block(x) }
        return fc(Pooling.globalAverage(head(x)))
    }
}

/// MBConv without squeeze-excitation: [expand 1x1] -> depthwise -> project 1x1 (+ identity skip).
private struct LiteBlock {
    let expand: Conv2dKernel?
    let depthwise: Conv2dKernel
    let project: Conv2dKernel
    let residual: Bool

    init(_ store: ParameterStore, prefix: String, eps: Float, input: Int, output: Int, expand ratio: Int, kernel: Int, stride: Int,
         firstInStage: Bool) {
        let expanded = input * ratio
        expand = ratio == 1 ? nil : BatchNormFolding.convBN(store, conv: "\(prefix)._expand_conv", bn: "\(prefix)._bn0", eps: eps,
                                                          inChannels: input, outChannels: expanded, kernel: 1, padding: .same,
                                                          postOps: [.relu6])
        depthwise = BatchNormFolding.convBN(store, conv: "\(prefix)._depthwise_conv", bn: "\(prefix)._bn1", eps: eps,
                                            inChannels: expanded, outChannels: expanded, kernel: kernel, stride: stride,
                                            padding: .same, groups: expanded, postOps: [.relu6])
        // The package keeps the first block's stride as a list, so its `stride == 1` test fails and
        // a stage's first block never gets the skip (matters only for widths where in == out there).
        residual = !firstInStage && stride == 1 && input == output
        project = BatchNormFolding.convBN(store, conv: "\(prefix)._project_conv", bn: "\(prefix)._bn2", eps: eps,
                                          inChannels: expanded, outChannels: output, kernel: 1, padding: .same,
                                          postOps: residual ? [.accumulate] : [])
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let h = depthwise(expand.map { $0(x) } ?? x)
        return residual ? project(h, accumulate: x) : project(h)
    }
}
