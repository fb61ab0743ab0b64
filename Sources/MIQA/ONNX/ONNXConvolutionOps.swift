import Foundation
import Tensor

/// Kernels made once per node and input geometry (oneDNN primitives and packed weights).
final class ONNXKernelCache: @unchecked Sendable {
    private let lock = NSLock()
    private var convolutions: [String: Conv2dKernel] = [:]
    private var transposed: [String: Conv2dTrainingKernel] = [:]

    func convolution(_ key: String, _ make: () -> Conv2dKernel) -> Conv2dKernel {
        lock.lock(); defer { lock.unlock() }
        if let k = convolutions[key] { return k }
        let k = make(); convolutions[key] = k; return k
    }

    func transposedConvolution(_ key: String, _ make: () -> Conv2dTrainingKernel) -> Conv2dTrainingKernel {
        lock.lock(); defer { lock.unlock() }
        if let k = transposed[key] { return k }
        let k = make(); transposed[key] = k; return k
    }
}

/// Convolution, transposed convolution, BatchNorm and pooling, on `[N, C, H, W]`.
enum ONNXConvolutionOps {
    /// The 2-D window geometry of Conv/ConvTranspose/pools: kernel, strides, dilations and the
    /// explicit padding (top, left, bottom, right) after `auto_pad` is resolved for this input.
    struct Window {
        var kernel: (Int, Int), stride: (Int, Int), dilation: (Int, Int), pads: (Int, Int, Int, Int)
    }

    static func window(_ c: ONNXNodeContext, input: [Int], kernel: [Int]?) throws -> Window {
        guard input.count == 4 else { throw c.invalid("only 2-D windows ([N, C, H, W] inputs) are supported, got \(input)") }
        guard let k = kernel, k.count == 2 else { throw c.invalid("kernel_shape must have 2 entries") }
        let s = c.ints("strides") ?? [1, 1], d = c.ints("dilations") ?? [1, 1]
        for v in s + d + k { try c.extent(v, "stride, dilation or kernel extent") }
        guard s.count == 2, d.count == 2, s.allSatisfy({ $0 > 0 }), d.allSatisfy({ $0 > 0 }), k.allSatisfy({ $0 > 0 }) else {
            throw c.invalid("strides \(s), dilations \(d), kernel \(k) must be 2 positive values each")
        }
        var pads = (0, 0, 0, 0)
        let autoPad = try c.choice("auto_pad", "NOTSET", ["NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"])
        switch autoPad {
        case "NOTSET":
            let p = c.ints("pads") ?? [0, 0, 0, 0]
            guard p.count == 4, p.allSatisfy({ $0 >= 0 && $0 <= ONNXModelFile.maxElements }) else {
                throw c.invalid("pads \(p) are out of range: 4 non-negative values up to \(ONNXModelFile.maxElements)")
            }
            pads = (p[0], p[1], p[2], p[3])
        case "VALID": break
        default:
            func amounts(_ n: Int, _ k: Int, _ s: Int, _ d: Int) -> (Int, Int) {
                let out = (n + s - 1) / s
                let total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
                return autoPad == "SAME_UPPER" ? (total / 2, total - total / 2) : (total - total / 2, total / 2)
            }
            let (t, b) = amounts(input[2], k[0], s[0], d[0]), (l, r) = amounts(input[3], k[1], s[1], d[1])
            pads = (t, l, b, r)
        }
        return Window(kernel: (k[0], k[1]), stride: (s[0], s[1]), dilation: (d[0], d[1]), pads: pads)
    }

    static func conv(_ c: ONNXNodeContext, cache: ONNXKernelCache) throws -> [ONNXValue] {
        let x = try c.tensor(0), w = try c.tensor(1)
        guard x.rank == 4, w.rank == 4 else { throw c.invalid("only 2-D convolutions are supported (input \(x.shape), weight \(w.shape))") }
        let groups = c.int("group", 1)
        // `groups` is bounded by the channels before it multiplies anything.
        guard groups > 0, groups <= max(1, x.shape[1]), x.shape[1] == w.shape[1] * groups, w.shape[0] % groups == 0 else {
            throw c.invalid("input \(x.shape) does not fit weight \(w.shape) with \(groups) groups")
        }
        let bias = c.hasInput(2) ? try c.tensor(2) : nil
        guard bias == nil || bias!.count == w.shape[0] else { throw c.invalid("bias has \(bias!.count) values for \(w.shape[0]) channels") }
        let g = try window(c, input: x.shape, kernel: c.ints("kernel_shape") ?? [w.shape[2], w.shape[3]])
        guard g.kernel == (w.shape[2], w.shape[3]) else { throw c.invalid("kernel_shape \(g.kernel) != weight \(w.shape)") }
        let out = ONNXConvolutionOps.size(x.shape[2], g.kernel.0, g.stride.0, g.dilation.0, g.pads.0 + g.pads.2)
        let outW = ONNXConvolutionOps.size(x.shape[3], g.kernel.1, g.stride.1, g.dilation.1, g.pads.1 + g.pads.3)
        guard out > 0, outW > 0 else { throw c.invalid("the window does not fit the input \(x.shape)") }
        try c.bounded([x.shape[0], w.shape[0], out, outW])
        let key = "\(c.node.outputs[0])|\(g.pads)|\(ObjectIdentifier(w))"
        let kernel = cache.convolution(key) {
            Conv2dKernel(weight: w, bias: bias, stride: g.stride,
                         padding: .explicit(top: g.pads.0, left: g.pads.1, bottom: g.pads.2, right: g.pads.3),
                         dilation: g.dilation, groups: groups)
        }
        return [.float(Layout.nhwcToNCHW(kernel(Layout.nchwToNHWC(x))))]
    }

    static func size(_ n: Int, _ k: Int, _ s: Int, _ d: Int, _ pad: Int) -> Int { (n + pad - d * (k - 1) - 1) / s + 1 }

    static func convTranspose(_ c: ONNXNodeContext, cache: ONNXKernelCache) throws -> [ONNXValue] {
        let x = try c.tensor(0), w = try c.tensor(1)
        guard x.rank == 4, w.rank == 4 else { throw c.invalid("only 2-D transposed convolutions are supported") }
        let groups = c.int("group", 1)
        guard groups > 0, groups <= max(1, w.shape[0]), x.shape[1] == w.shape[0], w.shape[0] % groups == 0 else {
            throw c.invalid("input \(x.shape) does not fit weight \(w.shape) with \(groups) groups")
        }
        if c.node.attributes["output_shape"] != nil { throw c.unsupported("output_shape", "(give pads and output_padding instead)") }
        _ = try c.choice("auto_pad", "NOTSET", ["NOTSET", "VALID"])
        let g = try window(c, input: x.shape, kernel: c.ints("kernel_shape") ?? [w.shape[2], w.shape[3]])
        let op = c.ints("output_padding") ?? [0, 0]
        guard op.count == 2, op[0] >= 0, op[1] >= 0, op[0] < max(g.stride.0, g.dilation.0), op[1] < max(g.stride.1, g.dilation.1) else {
            throw c.invalid("output_padding \(op) must be below the stride")
        }
        let outChannels = w.shape[1] * groups
        let oh = (x.shape[2] - 1) * g.stride.0 - g.pads.0 - g.pads.2 + g.dilation.0 * (g.kernel.0 - 1) + op[0] + 1
        let ow = (x.shape[3] - 1) * g.stride.1 - g.pads.1 - g.pads.3 + g.dilation.1 * (g.kernel.1 - 1) + op[1] + 1
        guard oh > 0, ow > 0 else { throw c.invalid("output size \(oh)x\(ow) is empty") }
        try c.bounded([x.shape[0], outChannels, oh, ow])
        // A transposed convolution is the data gradient of the convolution that maps the output
        // back to the input: that convolution's weight [O = C_in, I/g = C_out/g, kh, kw] is
        // ConvTranspose's weight as stored.
        let key = "\(c.node.outputs[0])|\(g.pads)"
        let kernel = cache.transposedConvolution(key) {
            Conv2dTrainingKernel(inChannels: outChannels, outChannels: x.shape[1], kernel: g.kernel, stride: g.stride,
                                 padding: .explicit(top: g.pads.0, left: g.pads.1, bottom: g.pads.2, right: g.pads.3),
                                 dilation: g.dilation, groups: groups, bias: false)
        }
        var y = Layout.nhwcToNCHW(kernel.backwardData(Layout.nchwToNHWC(x), weight: w, inputShape: [x.shape[0], oh, ow, outChannels]))
        if c.hasInput(2) {
            let b = try c.constantFloats(2)
            guard b.count == outChannels else { throw c.invalid("bias has \(b.count) values for \(outChannels) channels") }
            y = ChannelAffine.apply(y, scale: [Float](repeating: 1, count: outChannels), shift: b)
        }
        return [.float(y)]
    }

    static func batchNorm(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        try c.require("training_mode", is: 0, default: 0)
        let x = try c.tensor(0)
        guard x.rank >= 2 else { throw c.invalid("input \(x.shape) has no channel axis") }
        let channels = x.shape[1]
        let scale = try c.constantFloats(1), bias = try c.constantFloats(2), mean = try c.constantFloats(3), variance = try c.constantFloats(4)
        guard [scale, bias, mean, variance].allSatisfy({ $0.count == channels }) else { throw c.invalid("parameters do not have \(channels) values") }
        let eps = c.float("epsilon", 1e-5)
        // Computed in double, then rounded: the folded form of (x - mean) / sqrt(var + eps) * scale + bias.
        let a = (0..<channels).map { Float(Double(scale[$0]) / (Double(variance[$0]) + Double(eps)).squareRoot()) }
        let b = (0..<channels).map { bias[$0] - mean[$0] * a[$0] }
        return [.float(ChannelAffine.apply(x, scale: a, shift: b))]
    }

    static func pool(_ c: ONNXNodeContext, max isMax: Bool) throws -> [ONNXValue] {
        let x = try c.tensor(0)
        if isMax {
            try c.require("storage_order", is: 0, default: 0)
            if c.node.outputs.count > 1 && !c.node.outputs[1].isEmpty { throw c.unsupported("Indices output", "(second output)") }
        }
        let g = try window(c, input: x.shape, kernel: c.ints("kernel_shape"))
        let kind: WindowPooling.Kind = isMax ? .max : .average(countIncludePad: c.int("count_include_pad", 0) != 0)
        let pool = WindowPooling(kind: kind, kernel: g.kernel, stride: g.stride, dilation: g.dilation, pads: g.pads,
                                 ceilMode: c.int("ceil_mode", 0) != 0)
        let shape = pool.outputShape(x.shape)
        guard shape[2] > 0, shape[3] > 0 else { throw c.invalid("the window does not fit the input \(x.shape)") }
        try c.bounded(shape)
        return [.float(pool(x))]
    }

    static func globalAveragePool(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let x = try c.tensor(0)
        guard x.rank >= 3 else { throw c.invalid("input \(x.shape) has no spatial axes") }
        let planes = x.shape[0] * x.shape[1], inner = x.count / max(1, planes)
        let v = x.values
        let means = (0..<planes).map { p -> Float in
            var s: Double = 0
            for i in 0..<inner { s += Double(v[p * inner + i]) }
            return Float(s / Double(inner))
        }
        return [.float(Tensor(shape: [x.shape[0], x.shape[1]] + Array(repeating: 1, count: x.rank - 2), values: means))]
    }
}
