import Foundation
import Tensor

/// EfficientNet-Lite (lukemelas names, `efficientnet-lite-pytorch` behaviour) for training:
/// ReLU6, no squeeze-excitation, TF "same" padding from the actual input, BatchNorm eps 1e-3 and
/// momentum 0.01 (the package's TF-derived values). The package's dropout before `_fc` is
/// applied with `headDropout` (the package's 0.2 for lite0/lite1, 0.3 for lite2; 0 for gradient checks); its drop-connect
/// on skip blocks with `stochasticDepth * index / blocks` (the package's rate 0.2).
final class TrainableEfficientNetLite: TrainableNetwork, TrainableModel {
    private var stem: TrainConvBN!
    private var blocks: [Block] = []
    private var head: TrainConvBN!
    private var fc: TrainLinear!
    let headDropout: Float

    private struct Block {
        let expand: TrainConvBN?
        let depthwise: TrainConvBN
        let project: TrainConvBN
        let residual: Bool
        let dropProbability: Float

        func callAsFunction(_ x: Variable, _ c: ForwardContext) -> Variable {
            var y = project(depthwise(expand.map { $0(x, c) } ?? x, c), c)
            guard residual else { return y }
            if c.training { y = Differentiable.dropPath(y, p: dropProbability, generator: &c.dropout, tape: c.tape) }
            return Differentiable.add(y, x, tape: c.tape)
        }
    }

    init(_ config: ArchitectureConfig, _ store: ParameterStore, headDropout: Float, stochasticDepth: Float) throws {
        self.headDropout = headDropout
        super.init(config: config, store: store)
        let width = try config.require(config.widthMult, "width_mult")
        let depth = try config.require(config.depthMult, "depth_mult")
        let round = { (c: Int) in EfficientNet.makeDivisible(Double(c) * width) }
        func cbn(_ conv: String, _ bn: String, _ cin: Int, _ cout: Int, _ k: Int, stride: Int = 1, groups: Int = 1,
                 _ act: ActivationKind?) -> TrainConvBN {
            TrainConvBN(self, conv: conv, bn: bn, in: cin, out: cout, kernel: k, stride: stride, padding: .same, groups: groups,
                        eps: 1e-3, momentum: 0.01, activation: act)
        }
        stem = cbn("_conv_stem", "_bn0", 3, 32, 3, stride: 2, .relu6)
        var channels = 32
        let stages = EfficientNetLite.stages
        let totalBlocks = stages.enumerated().map { s, st in
            (s == 0 || s == stages.count - 1) ? st.5 : Int((Double(st.5) * depth).rounded(.up))
        }.reduce(0, +)
        for (s, (ratio, kernel, stride, cin, cout, n)) in stages.enumerated() {
            let fixed = s == 0 || s == stages.count - 1
            let repeats = fixed ? n : Int((Double(n) * depth).rounded(.up))
            let stageIn = s == 0 ? 32 : round(cin), output = round(cout)
            for j in 0..<repeats {
                let p = "_blocks.\(blocks.count)"
                let input = j == 0 ? stageIn : output
                let expanded = input * ratio
                let st = j == 0 ? stride : 1
                let expand = ratio == 1 ? nil : cbn("\(p)._expand_conv", "\(p)._bn0", input, expanded, 1, .relu6)
                let dw = cbn("\(p)._depthwise_conv", "\(p)._bn1", expanded, expanded, kernel, stride: st, groups: expanded, .relu6)
                let proj = cbn("\(p)._project_conv", "\(p)._bn2", expanded, output, 1, nil)
                blocks.append(Block(expand: expand, depthwise: dw, project: proj, residual: j != 0 && st == 1 && input == output,
                                    dropProbability: stochasticDepth * Float(blocks.count) / Float(totalBlocks)))
            }
            channels = output
        }
        head = cbn("_conv_head", "_bn1", channels, 1280, 1, .relu6)
        fc = TrainLinear(self, "_fc", in: 1280, out: config.numOutputs)
    }

    func forward(_ views: [Tensor], context c: ForwardContext) -> Variable {
        var x = stem(Variable(views[0]), c)
        for block in blocks { x = block(x, c) }
        var pooled = Differentiable.globalAveragePool(head(x, c), tape: c.tape)
        if c.training { pooled = Differentiable.dropout(pooled, p: headDropout, generator: &c.dropout, tape: c.tape) }
        return fc(pooled, c)
    }
}
