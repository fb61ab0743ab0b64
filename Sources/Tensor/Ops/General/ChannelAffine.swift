/// `y = x * scale[c] + shift[c]` along axis 1 of a channels-first tensor `[N, C, ...]`:
/// inference BatchNorm with its statistics folded into `scale` and `shift`.
public enum ChannelAffine {
    public static func apply(_ x: Tensor, scale: [Float], shift: [Float]) -> Tensor {
        precondition(x.rank >= 2 && scale.count == x.shape[1] && shift.count == x.shape[1], "per-channel affine of \(x.shape)")
        let n = x.shape[0], c = x.shape[1], inner = x.count / max(1, n * c)
        let out = Tensor(uninitializedShape: x.shape)
        let s = x.data, d = out.data
        parallelFor(n * c) { range in
            for plane in range {
                let k = plane % c, a = scale[k], b = shift[k], base = plane * inner
                for i in 0..<inner { d[base + i] = s[base + i] * a + b }
            }
        }
        return out
    }
}
