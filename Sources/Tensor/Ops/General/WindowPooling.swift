/// Max and average pooling over the last two axes of `[N, C, H, W]` with any window, stride,
/// dilation and asymmetric padding (ONNX `MaxPool` / `AveragePool`); padding never wins a max
/// and counts in an average only with `countIncludePad`.
public struct WindowPooling: Sendable {
    public enum Kind: Sendable { case max, average(countIncludePad: Bool) }
    public let kind: Kind
    public let kernel: (Int, Int)
    public let stride: (Int, Int)
    public let dilation: (Int, Int)
    /// top, left, bottom, right.
    public let pads: (Int, Int, Int, Int)
    public let ceilMode: Bool

    public init(kind: Kind, kernel: (Int, Int), stride: (Int, Int), dilation: (Int, Int) = (1, 1),
                pads: (Int, Int, Int, Int), ceilMode: Bool) {
        self.kind = kind
        self.kernel = kernel
        self.stride = stride
        self.dilation = dilation
        self.pads = pads
        self.ceilMode = ceilMode
    }

    /// Output length along one axis: floor or ceil of the window count; with ceil, a last window
    /// that would start in the end padding is dropped (as ONNX Runtime and PyTorch do).
    static func outputLength(_ n: Int, kernel k: Int, stride s: Int, dilation d: Int, before: Int, after: Int, ceil: Bool) -> Int {
        let span = n + before + after - (d * (k - 1) + 1)
        guard span >= 0 else { return 0 }
        var out = (ceil ? (span + s - 1) / s : span / s) + 1
        if ceil && (out - 1) * s >= n + before { out -= 1 }
        return out
    }

    public func outputShape(_ shape: [Int]) -> [Int] {
        let oh = Self.outputLength(shape[2], kernel: kernel.0, stride: stride.0, dilation: dilation.0, before: pads.0, after: pads.2, ceil: ceilMode)
        let ow = Self.outputLength(shape[3], kernel: kernel.1, stride: stride.1, dilation: dilation.1, before: pads.1, after: pads.3, ceil: ceilMode)
        return [shape[0], shape[1], oh, ow]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4, "pooling expects [N, C, H, W], got \(x.shape)")
        let (h, w) = (x.shape[2], x.shape[3])
        let outShape = outputShape(x.shape)
        let (oh, ow) = (outShape[2], outShape[3])
        let out = Tensor(uninitializedShape: outShape)
        let planes = x.shape[0] * x.shape[1]
        let src = x.data, dst = out.data
        let kind = self.kind, kernel = self.kernel, stride = self.stride, dilation = self.dilation, pads = self.pads
        parallelFor(planes) { range in
            for p in range {
                let plane = src + p * h * w
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let y0 = oy * stride.0 - pads.0, x0 = ox * stride.1 - pads.1
                        var best = -Float.infinity, sum: Float = 0, inside = 0, padded = 0
                        for ky in 0..<kernel.0 {
                            let y = y0 + ky * dilation.0
                            for kx in 0..<kernel.1 {
                                let xx = x0 + kx * dilation.1
                                // Positions in the declared padding count for count_include_pad;
                                // those past it (ceil mode's overhang) never do.
                                if y >= -pads.0 && y < h + pads.2 && xx >= -pads.1 && xx < w + pads.3 { padded += 1 }
                                guard y >= 0, y < h, xx >= 0, xx < w else { continue }
                                let v = plane[y * w + xx]
                                best = Swift.max(best, v)
                                sum += v
                                inside += 1
                            }
                        }
                        let o = p * oh * ow + oy * ow + ox
                        switch kind {
                        case .max: dst[o] = best
                        case let .average(includePad): dst[o] = sum / Float(Swift.max(1, includePad ? padded : inside))
                        }
                    }
                }
            }
        }
        return out
    }
}
