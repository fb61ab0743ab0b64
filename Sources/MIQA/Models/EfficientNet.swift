import Foundation
import Tensor

/// torchvision's EfficientNet (B0-B7 family) with `classifier = Linear(features, outputs)` as in the
/// original MIQA baselines. Blocks are MBConv with squeeze-and-excitation and SiLU. BatchNorm as
/// torchvision builds it: eps 1e-5 and momentum 0.1 for B0-B4; eps 1e-3 and momentum 0.01 for
/// B5-B7 (the config's `bn_eps` tells which). Stochastic depth as torchvision: the residual
/// branch of block `i` (of `n`, counted over all stages) is dropped per sample with probability
/// `stochasticDepth * i / n` in train mode (torchvision's default 0.2).
enum EfficientNet: ArchitectureDefinition {
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

    static func configuration(_ config: ArchitectureConfig) -> ArchitectureConfig.EfficientNetConfig? {
        if case let .efficientnet(c) = config { return c } else { return nil }
    }

    static func define<B: NetworkBuilder>(_ config: ArchitectureConfig.EfficientNetConfig, _ b: B,
                                          _ regularisation: Regularisation) throws -> ([Tensor], B.Context) -> B.Value {
        let (width, depth, eps) = (config.widthMult, config.depthMult, Float(config.bnEps))
        let momentum: Float = eps >= 1e-3 ? 0.01 : 0.1
        let adjust = { (c: Int) in makeDivisible(Double(c) * width) }
        let features = ParameterScope.root["features"]
        // torchvision's `Conv2dNormActivation`: `<s>.0` the convolution, `<s>.1` its BatchNorm.
        func geometry(_ cin: Int, _ cout: Int, _ k: Int, stride: Int = 1, groups: Int = 1) -> ConvGeometry {
            ConvGeometry(in: cin, out: cout, kernel: k, stride: stride, padding: .symmetric((k - 1) / 2), groups: groups)
        }
        func norm(_ s: ParameterScope) -> BatchNormSettings { BatchNormSettings(s[1], eps: eps, momentum: momentum) }
        let stemOut = adjust(32)
        let stem = b.convNorm(features[0][0], geometry(3, stemOut, 3, stride: 2), norm: norm(features[0]), activation: .silu)
        var lastOut = stemOut
        var blocks: [B.Layer] = []
        let totalBlocks = stages.map { Int((Double($0.5) * depth).rounded(.up)) }.reduce(0, +)
        for (s, (ratio, kernel, stride, cin, cout, n)) in stages.enumerated() {
            let repeats = Int((Double(n) * depth).rounded(.up))
            for j in 0..<repeats {
                let input = j == 0 ? adjust(cin) : adjust(cout), output = adjust(cout)
                let st = j == 0 ? stride : 1
                let p = features[s + 1][j]["block"]
                let expanded = makeDivisible(Double(input * ratio))
                // MBConv: [expand 1x1] -> depthwise kxk -> squeeze-excitation -> project 1x1, the
                // modules numbered in order under `block`.
                var index = 0
                var expand: B.Layer?
                if ratio != 1 {
                    expand = b.convNorm(p[0][0], geometry(input, expanded, 1), norm: norm(p[0]), activation: .silu)
                    index += 1
                }
                let dw = b.convNorm(p[index][0], geometry(expanded, expanded, kernel, stride: st, groups: expanded),
                                    norm: norm(p[index]), activation: .silu)
                index += 1
                // SE's 1x1 convolutions on a pooled vector are linear layers.
                let squeezed = max(1, input / 4)
                let squeeze = b.linear(p[index]["fc1"], in: expanded, out: squeezed, storedShape: [squeezed, expanded, 1, 1],
                                       activation: .silu)
                let excite = b.linear(p[index]["fc2"], in: squeezed, out: expanded, storedShape: [expanded, squeezed, 1, 1],
                                      activation: .sigmoid)
                index += 1
                let dropPath = regularisation.stochasticDepth * Float(blocks.count) / Float(totalBlocks)
                let project = b.convNorm(p[index][0], geometry(expanded, output, 1), norm: norm(p[index]),
                                         addingShortcut: st == 1 && input == output, dropPath: dropPath, activation: nil)
                blocks.append { x, c in
                    var h = expand.map { $0(x, c) } ?? x
                    h = dw(h, c)
                    h = b.scaleChannels(h, by: excite(squeeze(b.globalAveragePool(h, c), c), c), c)
                    return project(h, x, c)
                }
            }
            lastOut = adjust(cout)
        }
        let head = features[stages.count + 1]
        let headConv = b.convNorm(head[0], geometry(lastOut, 4 * lastOut, 1), norm: norm(head), activation: .silu)
        let classifier = b.linear(ParameterScope.root["classifier"], in: 4 * lastOut, out: config.numOutputs)
        return { views, c in
            var x = stem(b.input(views[0], c), c)
            for block in blocks { x = block(x, c) }
            return classifier(b.globalAveragePool(headConv(x, c), c), c)
        }
    }
}
