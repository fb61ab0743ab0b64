import Foundation
import Tensor

/// torchvision's MobileNetV2, the ImageNet classifier (`mobilenet_v2-b0353104.pth`) used as a
/// downstream machine: inverted residual blocks with ReLU6, BatchNorm eps 1e-5 (momentum 0.1),
/// PyTorch padding `(k - 1) / 2`, `classifier.1` after global average pooling and a dropout
/// (`classifier.0`, 0.2) in train mode.
///
/// `width_mult` scales every width with torchvision's `_make_divisible(c * width, 8)`, except
/// the last convolution, which never narrows below 1280 (`1280 * max(1, width)`).
enum MobileNetV2: ArchitectureDefinition {
    /// torchvision's inverted residual settings: (expand ratio t, channels c, repeats n, stride s).
    static let settings: [(Int, Int, Int, Int)] = [
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    ]

    static func configuration(_ config: ArchitectureConfig) -> ArchitectureConfig.MobileNetV2Config? {
        if case let .mobilenetV2(c) = config { return c } else { return nil }
    }

    static func define<B: NetworkBuilder>(_ config: ArchitectureConfig.MobileNetV2Config, _ b: B,
                                          _ regularisation: Regularisation) throws -> ([Tensor], B.Context) -> B.Value {
        let width = config.widthMult
        let adjust = { (c: Int) in EfficientNet.makeDivisible(Double(c) * width) }
        let features = ParameterScope.root["features"]
        func norm(_ s: ParameterScope) -> BatchNormSettings { BatchNormSettings(s, eps: 1e-5, momentum: 0.1) }
        func geometry(_ cin: Int, _ cout: Int, _ k: Int, stride: Int = 1, groups: Int = 1) -> ConvGeometry {
            ConvGeometry(in: cin, out: cout, kernel: k, stride: stride, padding: .symmetric((k - 1) / 2), groups: groups)
        }
        var channels = adjust(32)
        let stem = b.convNorm(features[0][0], geometry(3, channels, 3, stride: 2), norm: norm(features[0][1]), activation: .relu6)
        var blocks: [B.Layer] = []
        for (ratio, c, n, s) in settings {
            let output = adjust(c)
            for i in 0..<n {
                // [expand 1x1 + ReLU6] -> depthwise 3x3 + ReLU6 -> linear 1x1 projection (+ identity
                // when the stride is 1 and the width is kept). Under `features.N.conv`: with
                // expansion `0` expand, `1` depthwise, `2` projection, `3` its BatchNorm; without,
                // `0` depthwise, `1` projection, `2` BN.
                let p = features[blocks.count + 1]["conv"]
                let stride = i == 0 ? s : 1
                // torchvision: `int(round(inp * expand_ratio))`; exact for integer ratios.
                let hidden = channels * ratio
                let first = ratio != 1 ? 1 : 0
                let expand = ratio == 1 ? nil
                    : b.convNorm(p[0][0], geometry(channels, hidden, 1), norm: norm(p[0][1]), activation: .relu6)
                let dw = b.convNorm(p[first][0], geometry(hidden, hidden, 3, stride: stride, groups: hidden),
                                    norm: norm(p[first][1]), activation: .relu6)
                // The projection is a bare conv followed by its own BatchNorm entry, not a ConvBNReLU pair.
                let project = b.convNorm(p[first + 1], geometry(hidden, output, 1), norm: norm(p[first + 2]),
                                         addingShortcut: stride == 1 && channels == output, dropPath: nil, activation: nil)
                blocks.append { x, c in project(dw(expand.map { $0(x, c) } ?? x, c), x, c) }
                channels = output
            }
        }
        let last = EfficientNet.makeDivisible(1280 * max(1, width))
        let headScope = features[blocks.count + 1]
        let head = b.convNorm(headScope[0], geometry(channels, last, 1), norm: norm(headScope[1]), activation: .relu6)
        let classifier = b.linear(ParameterScope.root["classifier"][1], in: last, out: config.numOutputs)
        let dropout = regularisation.headDropout ?? 0.2
        return { views, c in
            var x = stem(b.input(views[0], c), c)
            for block in blocks { x = block(x, c) }
            return classifier(b.dropout(b.globalAveragePool(head(x, c), c), p: dropout, c), c)
        }
    }
}
