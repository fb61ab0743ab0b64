import Foundation
import Tensor

/// torchvision's ResNet (v1.5: the stride sits on the 3x3 convolution of a bottleneck) with the
/// classifier replaced by `fc = Linear(features, outputs)`, as the original MIQA baselines do.
/// BatchNorm eps 1e-5, momentum 0.1 (PyTorch's defaults). At inference BatchNorm is folded into
/// the convolutions and the last convolution of a block adds the shortcut and applies ReLU.
enum ResNet: ArchitectureDefinition {
    static func configuration(_ config: ArchitectureConfig) -> ArchitectureConfig.ResNetConfig? {
        if case let .resnet(c) = config { return c } else { return nil }
    }

    static func define<B: NetworkBuilder>(_ config: ArchitectureConfig.ResNetConfig, _ b: B,
                                          _ regularisation: Regularisation) throws -> ([Tensor], B.Context) -> B.Value {
        let bottleneck = config.block == .bottleneck
        let (layers, widths, stemWidth) = (config.layers, config.widths, config.stemWidth)
        guard layers.count == widths.count else { throw ConfigError(field: "as many widths as layers", architecture: "resnet") }
        let expansion = bottleneck ? 4 : 1
        let root = ParameterScope.root
        func norm(_ scope: ParameterScope) -> BatchNormSettings { BatchNormSettings(scope, eps: 1e-5, momentum: 0.1) }
        func geometry(_ cin: Int, _ cout: Int, _ k: Int, _ stride: Int) -> ConvGeometry {
            ConvGeometry(in: cin, out: cout, kernel: k, stride: stride, padding: .symmetric(k / 2))
        }
        let stem = b.convNorm(root["conv1"], geometry(3, stemWidth, 7, 2), norm: norm(root["bn1"]), activation: .relu)
        var channels = stemWidth
        var blocks: [B.Layer] = []
        for (stage, (count, width)) in zip(layers, widths).enumerated() {
            for i in 0..<count {
                let stride = (i == 0 && stage > 0) ? 2 : 1
                let s = root["layer\(stage + 1)"][i]
                let out = width * expansion
                // BasicBlock: 3x3, 3x3; Bottleneck: 1x1, 3x3 (strided), 1x1 to `width * 4`.
                let shapes = bottleneck ? [(channels, width, 1, 1), (width, width, 3, stride), (width, out, 1, 1)]
                                        : [(channels, width, 3, stride), (width, out, 3, 1)]
                let body = shapes.dropLast().enumerated().map { n, g in
                    b.convNorm(s["conv\(n + 1)"], geometry(g.0, g.1, g.2, g.3), norm: norm(s["bn\(n + 1)"]), activation: .relu)
                }
                let last = shapes.count, g = shapes[last - 1]
                let closing = b.convNormAdding(s["conv\(last)"], geometry(g.0, g.1, g.2, g.3), norm: norm(s["bn\(last)"]),
                                               dropPath: nil, activation: .relu)
                let downsample = (stride != 1 || channels != out)
                    ? b.convNorm(s["downsample"][0], geometry(channels, out, 1, stride), norm: norm(s["downsample"][1]), activation: nil)
                    : nil
                blocks.append { x, c in
                    let shortcut = downsample.map { $0(x, c) } ?? x
                    var h = x
                    for conv in body { h = conv(h, c) }
                    return closing(h, shortcut, c)
                }
                channels = out
            }
        }
        let fc = b.linear(root["fc"], in: channels, out: config.numOutputs)
        return { views, c in
            var x = b.maxPool(stem(b.input(views[0], c), c), kernel: 3, stride: 2, padding: 1, c)
            for block in blocks { x = block(x, c) }
            return fc(b.globalAveragePool(x, c), c)
        }
    }
}
