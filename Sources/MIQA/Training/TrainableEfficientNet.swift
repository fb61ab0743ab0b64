import Foundation
import Tensor

/// torchvision's EfficientNet (MBConv with squeeze-excitation, SiLU) for training, head
/// `classifier = Linear(features, outputs)`. BatchNorm as torchvision builds it: eps 1e-5 and
/// momentum 0.1 for B0-B4; eps 1e-3 and momentum 0.01 for B5-B7 (the config's `bn_eps` tells
/// which). Stochastic depth as torchvision: the residual branch of block `i` (of `n`, counted over
/// all stages) is dropped per sample with probability `stochasticDepth * i / n` in train mode
/// (torchvision's default 0.2; 0 for gradient checks).
final class TrainableEfficientNet: TrainableNetwork, TrainableModel {
    private var stem: TrainConvBN!
    private var blocks: [Block] = []
    private var head: TrainConvBN!
    private var classifier: TrainLinear!

    private struct Block {
        let expand: TrainConvBN?
        let depthwise: TrainConvBN
        let squeeze: TrainLinear, excite: TrainLinear
        let project: TrainConvBN
        let residual: Bool
        let dropProbability: Float

        func callAsFunction(_ x: Variable, _ c: ForwardContext) -> Variable {
            var h = expand.map { $0(x, c) } ?? x
            h = depthwise(h, c)
            let s = excite(squeeze(Differentiable.globalAveragePool(h, tape: c.tape), c).apply(.silu, c), c).apply(.sigmoid, c)
            var y = project(Differentiable.scaleChannels(h, by: s, tape: c.tape), c)
            guard residual else { return y }
            if c.training { y = Differentiable.dropPath(y, p: dropProbability, generator: &c.dropout, tape: c.tape) }
            return Differentiable.add(y, x, tape: c.tape)
        }
    }

    init(_ config: ArchitectureConfig, _ store: ParameterStore, stochasticDepth: Float) throws {
        super.init(config: config, store: store)
        let width = try config.require(config.widthMult, "width_mult")
        let depth = try config.require(config.depthMult, "depth_mult")
        let eps = Float(try config.require(config.bnEps, "bn_eps"))
        let momentum: Float = eps >= 1e-3 ? 0.01 : 0.1
        let adjust = { (c: Int) in EfficientNet.makeDivisible(Double(c) * width) }
        func cbn(_ prefix: String, _ cin: Int, _ cout: Int, _ k: Int, stride: Int = 1, groups: Int = 1, _ act: ActivationKind?) -> TrainConvBN {
            TrainConvBN(self, conv: "\(prefix).0", bn: "\(prefix).1", in: cin, out: cout, kernel: k, stride: stride,
                        padding: .symmetric((k - 1) / 2), groups: groups, eps: eps, momentum: momentum, activation: act)
        }
        let stemOut = adjust(32)
        stem = cbn("features.0", 3, stemOut, 3, stride: 2, .silu)
        var lastOut = stemOut
        let totalBlocks = EfficientNet.stages.map { Int((Double($0.5) * depth).rounded(.up)) }.reduce(0, +)
        for (s, (ratio, kernel, stride, cin, cout, n)) in EfficientNet.stages.enumerated() {
            let repeats = Int((Double(n) * depth).rounded(.up))
            for j in 0..<repeats {
                let input = j == 0 ? adjust(cin) : adjust(cout), output = adjust(cout)
                let p = "features.\(s + 1).\(j).block"
                let expanded = EfficientNet.makeDivisible(Double(input * ratio))
                var index = 0
                var expand: TrainConvBN?
                if ratio != 1 { expand = cbn("\(p).0", input, expanded, 1, .silu); index += 1 }
                let dw = cbn("\(p).\(index)", expanded, expanded, kernel, stride: j == 0 ? stride : 1, groups: expanded, .silu)
                index += 1
                let squeezed = max(1, input / 4)
                let sq = TrainLinear(self, "\(p).\(index).fc1", in: expanded, out: squeezed, weightShape: [squeezed, expanded, 1, 1])
                let ex = TrainLinear(self, "\(p).\(index).fc2", in: squeezed, out: expanded, weightShape: [expanded, squeezed, 1, 1])
                index += 1
                let proj = cbn("\(p).\(index)", expanded, output, 1, nil)
                blocks.append(Block(expand: expand, depthwise: dw, squeeze: sq, excite: ex, project: proj,
                                    residual: (j == 0 ? stride : 1) == 1 && input == output,
                                    dropProbability: stochasticDepth * Float(blocks.count) / Float(totalBlocks)))
            }
            lastOut = adjust(cout)
        }
        head = cbn("features.\(EfficientNet.stages.count + 1)", lastOut, 4 * lastOut, 1, .silu)
        classifier = TrainLinear(self, "classifier", in: 4 * lastOut, out: config.numOutputs)
    }

    func forward(_ views: [Tensor], context c: ForwardContext) -> Variable {
        var x = stem(Variable(views[0]), c)
        for block in blocks { x = block(x, c) }
        return classifier(Differentiable.globalAveragePool(head(x, c), tape: c.tape), c)
    }
}
