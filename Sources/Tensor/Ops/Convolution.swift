import Foundation
import CDNNL

/// Where a convolution's zero padding goes.
public enum ConvPadding: Hashable, Sendable {
    /// Explicit padding in pixels: PyTorch's `padding=` (symmetric) or any asymmetric amounts.
    case explicit(top: Int, left: Int, bottom: Int, right: Int)
    /// TensorFlow "SAME": output = ceil(input / stride); the odd pixel of padding goes bottom/right.
    /// Computed from the actual input size at each call.
    case same

    /// PyTorch-style symmetric padding.
    public static func symmetric(_ p: Int) -> ConvPadding { .explicit(top: p, left: p, bottom: p, right: p) }

    /// Resolves to (before, after) amounts along one axis.
    func amounts(input n: Int, kernel k: Int, stride s: Int, dilation d: Int, axis: Int) -> (Int, Int) {
        switch self {
        case let .explicit(top, left, bottom, right):
            return axis == 0 ? (top, bottom) : (left, right)
        case .same:
            let out = (n + s - 1) / s
            let total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
            return (total / 2, total - total / 2)
        }
    }
}

/// A 2-D convolution over channels-last (NHWC) activations, inference form, with optional fused
/// bias and post-ops. Weights are given in PyTorch's OIHW layout (`[out, in/groups, kh, kw]`).
///
/// Forward runs oneDNN's convolution; the weights are reordered once into the layout the chosen
/// implementation prefers. Training uses `Conv2dTrainingKernel` below (weights passed per call,
/// oneDNN's `convolution_backward_*` for the gradients).
public final class Conv2dKernel: @unchecked Sendable {
    public let inChannels: Int
    public let outChannels: Int
    public let kernel: (Int, Int)
    public let stride: (Int, Int)
    public let dilation: (Int, Int)
    public let groups: Int
    public let padding: ConvPadding
    public let postOps: [PostOp]
    /// OIHW weights as given (kept so that the layout can be re-derived per input shape).
    public let weight: Tensor
    public let bias: Tensor?

    private struct Plan {
        let primitive: Primitive
        let src: dnnl_memory_desc_t
        let dst: dnnl_memory_desc_t
        let weightsMD: dnnl_memory_desc_t
        let biasMD: dnnl_memory_desc_t
        let packedWeights: Tensor
        let outShape: [Int]
    }
    private let plans = PrimitiveCache<Plan>()

    public init(weight: Tensor, bias: Tensor?, stride: (Int, Int) = (1, 1), padding: ConvPadding,
                dilation: (Int, Int) = (1, 1), groups: Int = 1, postOps: [PostOp] = []) {
        precondition(weight.rank == 4, "conv weight must be OIHW")
        self.weight = weight
        self.bias = bias
        self.outChannels = weight.shape[0]
        self.inChannels = weight.shape[1] * groups
        self.kernel = (weight.shape[2], weight.shape[3])
        self.stride = stride
        self.dilation = dilation
        self.groups = groups
        self.padding = padding
        self.postOps = postOps
    }

    /// Output spatial size for an input of `h` x `w`.
    public func outputSize(h: Int, w: Int) -> (Int, Int) {
        let (pt, pb) = padding.amounts(input: h, kernel: kernel.0, stride: stride.0, dilation: dilation.0, axis: 0)
        let (pl, pr) = padding.amounts(input: w, kernel: kernel.1, stride: stride.1, dilation: dilation.1, axis: 1)
        let oh = (h + pt + pb - dilation.0 * (kernel.0 - 1) - 1) / stride.0 + 1
        let ow = (w + pl + pr - dilation.1 * (kernel.1 - 1) - 1) / stride.1 + 1
        return (oh, ow)
    }

    private func plan(n: Int, h: Int, w: Int) -> Plan {
        plans.get("\(n)x\(h)x\(w)") {
            let (pt, pb) = padding.amounts(input: h, kernel: kernel.0, stride: stride.0, dilation: dilation.0, axis: 0)
            let (pl, pr) = padding.amounts(input: w, kernel: kernel.1, stride: stride.1, dilation: dilation.1, axis: 1)
            let (oh, ow) = outputSize(h: h, w: w)
            var src = DNNL.md([n, inChannels, h, w], dnnl_nhwc)
            var dst = DNNL.md([n, outChannels, oh, ow], dnnl_nhwc)
            let plainW: dnnl_memory_desc_t
            var anyW: dnnl_memory_desc_t
            if groups == 1 {
                plainW = DNNL.md(weight.shape, dnnl_oihw)
                anyW = DNNL.md(weight.shape, dnnl_format_tag_any)
            } else {
                let g = [groups, outChannels / groups, weight.shape[1], kernel.0, kernel.1]
                plainW = DNNL.md(g, dnnl_goihw)
                anyW = DNNL.md(g, dnnl_format_tag_any)
            }
            var b = DNNL.md([outChannels], dnnl_a)
            var desc = dnnl_convolution_desc_t()
            let strides = DNNL.dims([stride.0, stride.1])
            let dil = DNNL.dims([dilation.0 - 1, dilation.1 - 1])
            let padL = DNNL.dims([pt, pl])
            let padR = DNNL.dims([pb, pr])
            let hasBias = bias != nil
            withUnsafePointer(to: &b) { bp in
                DNNL.check(dnnl_dilated_convolution_forward_desc_init(
                    &desc, dnnl_forward_inference, dnnl_convolution_direct, &src, &anyW,
                    hasBias ? bp : nil, &dst, strides, dil, padL, padR), "conv desc")
            }
            let prim = Primitive(&desc, postOps: postOps, name: "conv \(weight.shape)")
            let chosenW = prim.md(dnnl_query_weights_md)
            let packed = DNNL.pack(weight, from: plainW, to: chosenW)
            return Plan(primitive: prim, src: src, dst: dst, weightsMD: chosenW, biasMD: b,
                        packedWeights: packed, outShape: [n, oh, ow, outChannels])
        }
    }

    /// Applies the convolution to `x` (`[N, H, W, C]`).
    ///
    /// With `accumulate` (and `.accumulate` among the post-ops) the result is added to that
    /// tensor in place and it is returned: the caller hands over its residual buffer.
    public func callAsFunction(_ x: Tensor, accumulate: Tensor? = nil) -> Tensor {
        precondition(x.rank == 4 && x.shape[3] == inChannels, "conv expects NHWC with \(inChannels) channels, got \(x.shape)")
        let p = plan(n: x.shape[0], h: x.shape[1], w: x.shape[2])
        precondition(accumulate == nil || accumulate!.shape == p.outShape, "residual \(accumulate!.shape) != conv output \(p.outShape)")
        let out = Tensor.destination(p.outShape, accumulate: accumulate, what: "conv output")
        p.primitive.execute(src: (p.src, x), weights: (p.weightsMD, p.packedWeights), dst: (p.dst, out),
                            bias: bias.map { (p.biasMD, $0) })
        return out
    }

    /// The oneDNN implementation chosen for an input shape (for profiling notes).
    public func implementation(n: Int, h: Int, w: Int) -> String { plan(n: n, h: h, w: w).primitive.implementation }
}

/// A 2-D convolution for training: forward (`forward_training`), backward data and backward
/// weights (oneDNN `convolution_backward_data` / `convolution_backward_weights`), channels-last
/// activations, OIHW weights passed at each call (they change every step), optional bias,
/// any padding (`.same` resolved from the actual input as in inference), groups (depthwise).
///
/// Weights are reordered into the layout each primitive prefers on every call: a reorder is
/// cheap next to the convolution, and the plain OIHW copy stays the single source of truth that
/// the optimiser updates. No post-ops: in training BatchNorm and the activation are separate ops.
public final class Conv2dTrainingKernel: @unchecked Sendable {
    public let inChannels: Int, outChannels: Int
    public let kernel: (Int, Int), stride: (Int, Int), dilation: (Int, Int)
    public let groups: Int
    public let padding: ConvPadding
    public let hasBias: Bool

    private struct Plan {
        let forward: Primitive, backwardData: BackwardPrimitive, backwardWeights: BackwardPrimitive
        let src: dnnl_memory_desc_t, dst: dnnl_memory_desc_t, bias: dnnl_memory_desc_t, plainW: dnnl_memory_desc_t
        let forwardW: dnnl_memory_desc_t, dataW: dnnl_memory_desc_t, diffW: dnnl_memory_desc_t
        let outShape: [Int]
        let key: String
    }
    private let plans = PrimitiveCache<Plan>()
    private let reorders = PrimitiveCache<Primitive>()

    public init(inChannels: Int, outChannels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1), padding: ConvPadding,
                dilation: (Int, Int) = (1, 1), groups: Int = 1, bias: Bool) {
        precondition(inChannels % groups == 0 && outChannels % groups == 0, "channels not divisible by groups")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.dilation = dilation
        self.groups = groups
        self.padding = padding
        self.hasBias = bias
    }

    /// PyTorch's weight shape `[out, in/groups, kh, kw]`.
    public var weightShape: [Int] { [outChannels, inChannels / groups, kernel.0, kernel.1] }

    private func plan(n: Int, h: Int, w: Int) -> Plan {
        plans.get("\(n)x\(h)x\(w)") {
            let (pt, pb) = padding.amounts(input: h, kernel: kernel.0, stride: stride.0, dilation: dilation.0, axis: 0)
            let (pl, pr) = padding.amounts(input: w, kernel: kernel.1, stride: stride.1, dilation: dilation.1, axis: 1)
            let oh = (h + pt + pb - dilation.0 * (kernel.0 - 1) - 1) / stride.0 + 1
            let ow = (w + pl + pr - dilation.1 * (kernel.1 - 1) - 1) / stride.1 + 1
            var src = DNNL.md([n, inChannels, h, w], dnnl_nhwc)
            var dst = DNNL.md([n, outChannels, oh, ow], dnnl_nhwc)
            let wShape = groups == 1 ? weightShape
                : [groups, outChannels / groups, inChannels / groups, kernel.0, kernel.1]
            let plainW = DNNL.md(wShape, groups == 1 ? dnnl_oihw : dnnl_goihw)
            var anyW = DNNL.md(wShape, dnnl_format_tag_any)
            var b = DNNL.md([outChannels], dnnl_a)
            let strides = DNNL.dims([stride.0, stride.1])
            let dil = DNNL.dims([dilation.0 - 1, dilation.1 - 1])
            let padL = DNNL.dims([pt, pl]), padR = DNNL.dims([pb, pr])
            let withBias = hasBias
            var fd = dnnl_convolution_desc_t()
            withUnsafePointer(to: &b) { bp in
                DNNL.check(dnnl_dilated_convolution_forward_desc_init(
                    &fd, dnnl_forward_training, dnnl_convolution_direct, &src, &anyW, withBias ? bp : nil, &dst,
                    strides, dil, padL, padR), "conv training desc")
            }
            let forward = Primitive(&fd, name: "conv train \(weightShape)")
            var dd = dnnl_convolution_desc_t()
            DNNL.check(dnnl_dilated_convolution_backward_data_desc_init(
                &dd, dnnl_convolution_direct, &src, &anyW, &dst, strides, dil, padL, padR), "conv bwd data desc")
            let data = BackwardPrimitive(&dd, hint: forward, name: "conv bwd data \(weightShape)")
            var wd = dnnl_convolution_desc_t()
            withUnsafePointer(to: &b) { bp in
                DNNL.check(dnnl_dilated_convolution_backward_weights_desc_init(
                    &wd, dnnl_convolution_direct, &src, &anyW, withBias ? bp : nil, &dst, strides, dil, padL, padR),
                           "conv bwd weights desc")
            }
            let weights = BackwardPrimitive(&wd, hint: forward, name: "conv bwd weights \(weightShape)")
            return Plan(forward: forward, backwardData: data, backwardWeights: weights, src: src, dst: dst, bias: b,
                        plainW: plainW, forwardW: forward.md(dnnl_query_weights_md), dataW: data.md(dnnl_query_weights_md),
                        diffW: weights.md(dnnl_query_diff_weights_md), outShape: [n, oh, ow, outChannels], key: "\(n)x\(h)x\(w)")
        }
    }

    /// Output shape for an input `[N, H, W, C]`.
    public func outputShape(_ input: [Int]) -> [Int] { plan(n: input[0], h: input[1], w: input[2]).outShape }

    private func packed(_ weight: Tensor, _ p: Plan, _ layout: dnnl_memory_desc_t, _ tag: String) -> Tensor {
        let t = Tensor(uninitializedShape: [max(1, DNNL.bytes(layout) / 4)])
        reorder(weight.data, p.plainW, into: t.data, layout, cache: reorders, key: p.key + tag)
        return t
    }

    /// `y = conv(x, weight) + bias` for `x` `[N, H, W, C]`, `weight` OIHW.
    public func forward(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        precondition(x.rank == 4 && x.shape[3] == inChannels, "conv expects NHWC with \(inChannels) channels, got \(x.shape)")
        precondition(weight.shape == weightShape && (bias != nil) == hasBias, "conv weight \(weight.shape) != \(weightShape)")
        let p = plan(n: x.shape[0], h: x.shape[1], w: x.shape[2])
        let w = packed(weight, p, p.forwardW, "f")
        let out = Tensor(uninitializedShape: p.outShape)
        var args: [(Int32, dnnl_memory_desc_t, UnsafeMutableRawPointer)] = [
            (DNNL.argSrc, p.src, UnsafeMutableRawPointer(x.data)),
            (DNNL.argWeights, p.forwardW, UnsafeMutableRawPointer(w.data)),
            (DNNL.argDst, p.dst, UnsafeMutableRawPointer(out.data)),
        ]
        if let bias { args.append((DNNL.argBias, p.bias, UnsafeMutableRawPointer(bias.data))) }
        p.forward.execute(args)
        return out
    }

    /// Backward of `forward`: dx = conv_transpose(dy, weight).
    public func backwardData(_ dy: Tensor, weight: Tensor, inputShape: [Int]) -> Tensor {
        let p = plan(n: inputShape[0], h: inputShape[1], w: inputShape[2])
        precondition(dy.shape == p.outShape, "conv dy \(dy.shape) != \(p.outShape)")
        let w = packed(weight, p, p.dataW, "d")
        let dx = Tensor(uninitializedShape: inputShape)
        p.backwardData.execute([
            (DNNL.argDiffDst, p.dst, UnsafeMutableRawPointer(dy.data)),
            (DNNL.argWeights, p.dataW, UnsafeMutableRawPointer(w.data)),
            (DNNL.argDiffSrc, p.src, UnsafeMutableRawPointer(dx.data)),
        ])
        return dx
    }

    /// Backward of `forward` for the parameters: dW (OIHW) and, with a bias, db = sum of dy.
    public func backwardWeights(_ dy: Tensor, input x: Tensor) -> (weight: Tensor, bias: Tensor?) {
        let p = plan(n: x.shape[0], h: x.shape[1], w: x.shape[2])
        let packedDW = Tensor(uninitializedShape: [max(1, DNNL.bytes(p.diffW) / 4)])
        let db = hasBias ? Tensor(uninitializedShape: [outChannels]) : nil
        var args: [(Int32, dnnl_memory_desc_t, UnsafeMutableRawPointer)] = [
            (DNNL.argSrc, p.src, UnsafeMutableRawPointer(x.data)),
            (DNNL.argDiffDst, p.dst, UnsafeMutableRawPointer(dy.data)),
            (DNNL.argDiffWeights, p.diffW, UnsafeMutableRawPointer(packedDW.data)),
        ]
        if let db { args.append((DNNL.argDiffBias, p.bias, UnsafeMutableRawPointer(db.data))) }
        p.backwardWeights.execute(args)
        let dw = Tensor(uninitializedShape: weightShape)
        reorder(packedDW.data, p.diffW, into: dw.data, p.plainW, cache: reorders, key: p.key + "w")
        return (dw, db)
    }

    /// The implementations oneDNN picked for forward / backward data / backward weights.
    public func implementation(n: Int, h: Int, w: Int) -> String {
        let p = plan(n: n, h: h, w: w)
        return "\(p.forward.implementation) / \(p.backwardData.implementation) / \(p.backwardWeights.implementation)"
    }
}
