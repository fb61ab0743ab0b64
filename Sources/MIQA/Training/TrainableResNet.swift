import Foundation
import Tensor

/// torchvision's ResNet (BasicBlock / Bottleneck v1.5) for training, head `fc`; BatchNorm eps
/// 1e-5, momentum 0.1 (PyTorch defaults).
final class TrainableResNet: TrainableNetwork, TrainableModel {
    private var stem: TrainConvBN!
    private var blocks: [Block] = []
    private var fc: TrainLinear!

    private struct Block {
        let convs: [TrainConvBN]
        let downsample: TrainConvBN?

        func callAsFunction(_ x: Variable, _ c: ForwardContext) -> Variable {
            let shortcut = downsample.map { $0(x, c) } ?? x
            var h = x
            for conv in convs { h = conv(h, c) }
            return Differentiable.add(h, shortcut, tape: c.tape).apply(.relu, c)
        }
    }

    init(_ config: ArchitectureConfig, _ store: ParameterStore) throws {
        super.init(config: config, store: store)
        let bottleneck = try config.require(config.block, "block") == "bottleneck"
        let layers = try config.require(config.layers, "layers")
        let widths = try config.require(config.widths, "widths")
        let stemWidth = try config.require(config.stemWidth, "stem_width")
        let expansion = bottleneck ? 4 : 1
        func cbn(_ conv: String, _ bn: String, _ cin: Int, _ cout: Int, _ k: Int, _ stride: Int, _ act: ActivationKind?) -> TrainConvBN {
            TrainConvBN(self, conv: conv, bn: bn, in: cin, out: cout, kernel: k, stride: stride, padding: .symmetric(k / 2),
                        eps: 1e-5, momentum: 0.1, activation: act)
        }
        stem = cbn("conv1", "bn1", 3, stemWidth, 7, 2, .relu)
        var channels = stemWidth
        for (stage, (count, width)) in zip(layers, widths).enumerated() {
            for i in 0..<count {
                let stride = (i == 0 && stage > 0) ? 2 : 1
                let p = "layer\(stage + 1).\(i)"
                let out = width * expansion
                let convs: [TrainConvBN]
                if bottleneck {
                    convs = [cbn("\(p).conv1", "\(p).bn1", channels, width, 1, 1, .relu),
                             cbn("\(p).conv2", "\(p).bn2", width, width, 3, stride, .relu),
                             cbn("\(p).conv3", "\(p).bn3", width, out, 1, 1, nil)]
                } else {
                    convs = [cbn("\(p).conv1", "\(p).bn1", channels, width, 3, stride, .relu),
                             cbn("\(p).conv2", "\(p).bn2", width, out, 3, 1, nil)]
                }
                let down = (stride != 1 || channels != out) ? cbn("\(p).downsample.0", "\(p).downsample.1", channels, out, 1, stride, nil) : nil
                blocks.append(Block(convs: convs, downsample: down))
                channels = out
            }
        }
        fc = TrainLinear(self, "fc", in: channels, out: config.numOutputs)
    }

    func forward(_ views: [Tensor], context c: ForwardContext) -> Variable {
        var x = Differentiable.maxPool2d(stem(Variable(views[0]), c), kernel: 3, stride: 2, padding: 1, tape: c.tape)
        for block in blocks { x = block(x, c) }
        return fc(Differentiable.globalAveragePool(x, tape: c.tape), c)
    }
}
