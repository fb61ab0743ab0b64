import Foundation
import Checkpoints
import Tensor

/// A Darknet detection network (YOLOv3 and YOLOv3-tiny style `.cfg`) on the engine: the layers
/// `convolutional`, `maxpool`, `upsample`, `route`, `shortcut` and `yolo`, as the 2018 Darknet
/// (Debian's `darknet` package) computes them. Any other layer type or option value the
/// reimplementation does not cover is an error naming the section, never a silent difference.
///
/// Convolutions: `pad=1` means `size / 2` pixels each side; BatchNorm is Darknet's
/// `scales * (x - mean) / (sqrt(variance) + 1e-6) + biases` (not PyTorch's `sqrt(var + eps)`),
/// folded into the weights; `leaky` is slope 0.1. Max pooling pads `padding` (default `size - 1`)
/// pixels, `padding / 2` before and the rest after, and padding never wins. Activations are
/// channels-last `[N, H, W, C]`.
public final class DarknetNetwork {
    /// The input size the network was configured for (`[net] width, height`).
    public let width: Int, height: Int
    /// The `yolo` layers in network order, each with the layer it reads.
    public let heads: [YOLOHead]
    private let layers: [Layer]

    /// Limits on what a configuration may ask for (far above any published YOLO): filters per
    /// convolution, kernel/stride/padding sides, values per layer output.
    static let maxFilters = 16384, maxKernel = 16, maxActivation = 1 << 27

    private enum Layer {
        case convolution(Conv2dKernel)
        case maxpool(size: Int, stride: Int, before: Int, after: Int)
        case upsample(Int)
        case route([Int])
        case shortcut(Int)
        case yolo
    }

    /// Builds the network of `config`, taking each parameter by name and shape through `take`, in
    /// the order the Darknet weights file stores them (per convolution: `biases`, then with
    /// BatchNorm `scales`, `rolling_mean`, `rolling_variance`, then `weights` `[out, in, k, k]`),
    /// all named `layers.<index>.<field>`.
    public init(config: DarknetConfig, take: (String, [Int]) throws -> Tensor) throws {
        width = try config.net.int("width")
        height = try config.net.int("height")
        let channels = try config.net.int("channels", 3)
        guard (1...8192).contains(width), (1...8192).contains(height), channels == 3 else {
            throw DetectorError.badConfig("[net] width=\(width) height=\(height) channels=\(channels): expected 1...8192 pixels and 3 channels")
        }
        var shapes: [(h: Int, w: Int, c: Int)] = []
        var layers: [Layer] = []
        var heads: [YOLOHead] = []
        var (h, w, c) = (height, width, channels)
        for (index, section) in config.layers.enumerated() {
            let name = "layer \(index) [\(section.type)] at line \(section.line)"
            func bad(_ message: String) -> DetectorError { .badConfig("\(name): \(message)") }
            func resolve(_ reference: Int) throws -> Int {
                let target = reference < 0 ? index + reference : reference
                guard target >= 0, target < index else { throw bad("refers to layer \(reference), which is not an earlier layer") }
                return target
            }
            switch section.type {
            case "convolutional", "conv":
                let filters = try section.int("filters"), size = try section.int("size", 1), stride = try section.int("stride", 1)
                let groups = try section.int("groups", 1)
                let padding = try section.int("pad", 0) != 0 ? size / 2 : try section.int("padding", 0)
                guard (1...Self.maxFilters).contains(filters), (1...Self.maxKernel).contains(size), (1...Self.maxKernel).contains(stride),
                      groups == 1, (0...Self.maxKernel).contains(padding), h + 2 * padding >= size, w + 2 * padding >= size else {
                    throw bad("filters=\(filters) size=\(size) stride=\(stride) groups=\(groups) padding=\(padding) do not fit a \(w)x\(h)x\(c) input (groups other than 1 are not supported)")
                }
                guard filters * c * size * size <= Self.maxActivation else {
                    throw bad("\(filters) x \(c) x \(size) x \(size) weights exceed \(Self.maxActivation) values")
                }
                let post: [PostOp]
                switch section.string("activation", "logistic") {
                case "leaky": post = [.leakyRelu(slope: 0.1)]
                case "linear": post = []
                case "relu": post = [.relu]
                case "logistic": post = [.sigmoid]
                case let other: throw bad("activation '\(other)' is not supported (leaky, linear, relu, logistic)")
                }
                let prefix = "layers.\(index)"
                let bias = try take("\(prefix).biases", [filters]).values
                var weightScale = [Float](repeating: 1, count: filters)
                var shift = bias
                if try section.int("batch_normalize", 0) != 0 {
                    let scales = try take("\(prefix).scales", [filters]).values
                    let mean = try take("\(prefix).rolling_mean", [filters]).values
                    let variance = try take("\(prefix).rolling_variance", [filters]).values
                    for o in 0..<filters {
                        // Darknet's normalize_cpu: (x - mean) / (sqrt(variance) + .000001f).
                        let s = Double(scales[o]) / (Double(variance[o]).squareRoot() + 0.000001)
                        weightScale[o] = Float(s)
                        shift[o] = Float(Double(bias[o]) - Double(mean[o]) * s)
                    }
                }
                let raw = try take("\(prefix).weights", [filters, c, size, size]).values
                let per = c * size * size
                var folded = raw
                for o in 0..<filters where weightScale[o] != 1 {
                    for i in 0..<per { folded[o * per + i] = Float(Double(raw[o * per + i]) * Double(weightScale[o])) }
                }
                guard folded.allSatisfy(\.isFinite), shift.allSatisfy(\.isFinite) else {
                    throw DetectorError.badWeights("\(name): the weights or BatchNorm statistics are not finite")
                }
                layers.append(.convolution(Conv2dKernel(weight: Tensor(shape: [filters, c, size, size], values: folded),
                                                        bias: Tensor(shape: [filters], values: shift), stride: (stride, stride),
                                                        padding: .symmetric(padding), postOps: post)))
                (h, w, c) = ((h + 2 * padding - size) / stride + 1, (w + 2 * padding - size) / stride + 1, filters)
            case "maxpool", "max":
                let size = try section.int("size", 1), stride = try section.int("stride", 1)
                let padding = try section.int("padding", size - 1)
                guard (1...Self.maxKernel).contains(size), (1...Self.maxKernel).contains(stride), (0...Self.maxKernel).contains(padding),
                      h + padding >= size, w + padding >= size else {
                    throw bad("size=\(size) stride=\(stride) padding=\(padding) do not fit a \(w)x\(h) input")
                }
                let (oh, ow) = ((h + padding - size) / stride + 1, (w + padding - size) / stride + 1)
                // Darknet's window for output i starts at i * stride - padding / 2; the padding after
                // is what the last window reaches beyond the input.
                let before = padding / 2
                let after = (oh - 1) * stride + size - h - before, afterW = (ow - 1) * stride + size - w - before
                guard after == afterW, after >= 0, before < size, after < size else {
                    throw bad("size=\(size) stride=\(stride) padding=\(padding) on \(w)x\(h) needs a padding the engine does not cover")
                }
                layers.append(.maxpool(size: size, stride: stride, before: before, after: after))
                (h, w) = (oh, ow)
            case "upsample":
                let stride = try section.int("stride", 2)
                guard (1...Self.maxKernel).contains(stride), section.options["scale"].map({ Float($0) == 1 }) ?? true else {
                    throw bad("only nearest upsampling by a positive integer stride with scale=1 is supported")
                }
                layers.append(.upsample(stride))
                (h, w) = (h * stride, w * stride)
            case "route":
                let sources = try section.ints("layers").map(resolve)
                guard !sources.isEmpty else { throw bad("a route needs at least one layer (layers= is empty)") }
                guard section.options["groups"] == nil else { throw bad("route groups are not supported") }
                for s in sources where shapes[s].h != shapes[sources[0]].h || shapes[s].w != shapes[sources[0]].w {
                    throw bad("layers \(sources) have different sizes")
                }
                layers.append(.route(sources))
                (h, w, c) = (shapes[sources[0]].h, shapes[sources[0]].w, sources.reduce(0) { $0 + shapes[$1].c })
            case "shortcut":
                let source = try resolve(try section.int("from"))
                guard shapes[source] == (h, w, c) else { throw bad("layer \(source) is \(shapes[source]), this input is \((h, w, c))") }
                guard section.string("activation", "linear") == "linear" else { throw bad("only a linear shortcut is supported") }
                layers.append(.shortcut(source))
            case "yolo":
                let head = try YOLOHead(section: section, layer: index, inputChannels: c)
                heads.append(head)
                layers.append(.yolo)
            default:
                throw bad("layer type '\(section.type)' is not supported (convolutional, maxpool, upsample, route, shortcut, yolo)")
            }
            // A configuration, like any input, must not be able to ask for unbounded memory.
            guard h * w * c <= Self.maxActivation else {
                throw bad("its output \(w)x\(h)x\(c) exceeds \(Self.maxActivation) values")
            }
            shapes.append((h, w, c))
        }
        guard !heads.isEmpty else { throw DetectorError.badConfig("the network has no [yolo] layer") }
        guard Set(heads.map(\.classes)).count == 1 else { throw DetectorError.badConfig("the [yolo] layers disagree on classes") }
        self.layers = layers
        self.heads = heads
    }

    /// Converts a Darknet weights file for `config` into named tensors (`layers.<i>.<field>`, in
    /// the file's order), checking that the file holds exactly the values the layers need.
    public static func parameters(of config: DarknetConfig, weights: DarknetWeights) throws -> TensorDict {
        var cursor = weights
        var dict = TensorDict()
        _ = try DarknetNetwork(config: config) { name, shape in
            let values = try cursor.take(shape.reduce(1, *), for: name)
            dict.set(name, StoredTensor(shape: shape, values: values))
            return Tensor(shape: shape, values: values)
        }
        try cursor.finish()
        return dict
    }

    /// Builds the network from named tensors; every name and shape must match and none be left over.
    public convenience init(config: DarknetConfig, tensors: [String: Tensor]) throws {
        let store = ParameterStore(tensors)
        try self.init(config: config) { store.take($0, $1) }
        do { try store.finish() } catch { throw DetectorError.badWeights("\(error)") }
    }

    /// The class count of the `yolo` layers.
    public var classes: Int { heads[0].classes }

    /// Runs the network on letterboxed input `[N, height, width, 3]` (RGB in 0...1) and returns
    /// each `yolo` layer's input, `[N, h, w, anchors * (5 + classes)]`, before the logistic.
    public func forward(_ input: Tensor) -> [Tensor] {
        var outputs: [Tensor] = []
        var heads: [Tensor] = []
        var x = input
        for layer in layers {
            switch layer {
            case let .convolution(kernel): x = kernel(x)
            case let .maxpool(size, stride, before, after): x = Pooling.max2d(x, kernel: size, stride: stride, before: before, after: after)
            case let .upsample(factor): x = FeatureMap.upsampleNearest(x, factor: factor)
            case let .route(sources): x = sources.count == 1 ? outputs[sources[0]] : FeatureMap.concatChannels(sources.map { outputs[$0] })
            case let .shortcut(source): x = FeatureMap.add(x, outputs[source])
            case .yolo: heads.append(x)
            }
            outputs.append(x)
        }
        return heads
    }
}
