import Foundation
import Tensor

/// EfficientNet-Lite (the TensorFlow Lite variant, as packaged on PyPI by `efficientnet-lite-pytorch`
/// with lukemelas-style names): ReLU6, no squeeze-excitation, BatchNorm eps 1e-3 and momentum 0.01
/// (the package's TF-derived values), TensorFlow "same" padding, stem (32) and head (1280) not
/// scaled, and the first and last stages' repeats not scaled. In train mode, the package's
/// dropout before `_fc` (0.2 for lite0/lite1, 0.3 for lite2) and its drop-connect on skip blocks
/// (`stochasticDepth * index / blocks`, the package's rate 0.2).
///
/// "Same" padding is computed from the actual input size. The PyTorch package fixes it at
/// construction for its nominal image size (224/240/260); both agree at that size.
enum EfficientNetLite: ArchitectureDefinition {
    /// (expand ratio, kernel, stride, in, out, repeats) per stage, from the TF Lite builder.
    static let stages: [(Int, Int, Int, Int, Int, Int)] = [
        (1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
        (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1),
    ]

    /// The package's dropout before `_fc`: 0.3 for the widest (lite2), 0.2 otherwise.
    static func headDropout(_ config: ArchitectureConfig.EfficientNetLiteConfig) -> Float { config.widthMult >= 1.1 ? 0.3 : 0.2 }

    static func configuration(_ config: ArchitectureConfig) -> ArchitectureConfig.EfficientNetLiteConfig? {
        if case let .efficientnetLite(c) = config { return c } else { return nil }
    }

    static func define<B: NetworkBuilder>(_ config: ArchitectureConfig.EfficientNetLiteConfig, _ b: B,
                                          _ regularisation: Regularisation) throws -> ([Tensor], B.Context) -> B.Value {
        let (width, depth) = (config.widthMult, config.depthMult)
        // The TF rule is the same as torchvision's `_make_divisible` with divisor 8.
        let round = { (c: Int) in EfficientNet.makeDivisible(Double(c) * width) }
        let root = ParameterScope.root
        func norm(_ s: ParameterScope) -> BatchNormSettings { BatchNormSettings(s, eps: 1e-3, momentum: 0.01) }
        func geometry(_ cin: Int, _ cout: Int, _ k: Int, stride: Int = 1, groups: Int = 1) -> ConvGeometry {
            ConvGeometry(in: cin, out: cout, kernel: k, stride: stride, padding: .same, groups: groups)
        }
        let stem = b.convNorm(root["_conv_stem"], geometry(3, 32, 3, stride: 2), norm: norm(root["_bn0"]), activation: .relu6)
        var channels = 32
        var blocks: [B.Layer] = []
        let repeats = stages.enumerated().map { s, st in
            (s == 0 || s == stages.count - 1) ? st.5 : Int((Double(st.5) * depth).rounded(.up))
        }
        let totalBlocks = repeats.reduce(0, +)
        for (s, (ratio, kernel, stride, cin, cout, _)) in stages.enumerated() {
            let stageIn = s == 0 ? 32 : round(cin), output = round(cout)
            for j in 0..<repeats[s] {
                let p = root["_blocks"][blocks.count]
                let input = j == 0 ? stageIn : output
                let expanded = input * ratio
                let st = j == 0 ? stride : 1
                // MBConv without squeeze-excitation: [expand 1x1] -> depthwise -> project 1x1.
                let expand = ratio == 1 ? nil
                    : b.convNorm(p["_expand_conv"], geometry(input, expanded, 1), norm: norm(p["_bn0"]), activation: .relu6)
                let dw = b.convNorm(p["_depthwise_conv"], geometry(expanded, expanded, kernel, stride: st, groups: expanded),
                                    norm: norm(p["_bn1"]), activation: .relu6)
                // The package keeps the first block's stride as a list, so its `stride == 1` test
                // fails and a stage's first block never gets the skip (matters only for widths
                // where in == out there).
                let project = b.convNorm(p["_project_conv"], geometry(expanded, output, 1), norm: norm(p["_bn2"]),
                                         addingShortcut: j != 0 && st == 1 && input == output,
                                         dropPath: regularisation.stochasticDepth * Float(blocks.count) / Float(totalBlocks),
                                         activation: nil)
                blocks.append { x, c in project(dw(expand.map { $0(x, c) } ?? x, c), x, c) }
            }
            channels = output
        }
        let head = b.convNorm(root["_conv_head"], geometry(channels, 1280, 1), norm: norm(root["_bn1"]), activation: .relu6)
        let fc = b.linear(root["_fc"], in: 1280, out: config.numOutputs)
        let dropout = regularisation.headDropout ?? headDropout(config)
        return { views, c in
            var x = stem(b.input(views[0], c), c)
            for block in blocks { x = block(x, c) }
            return fc(b.dropout(b.globalAveragePool(head(x, c), c), p: dropout, c), c)
        }
    }
}
