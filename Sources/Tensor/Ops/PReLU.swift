import Foundation

/// PyTorch's `nn.PReLU(channels)`, inference only: `y = x` where `x > 0`, else `a[c] * x`,
/// with one learned slope per channel of channels-last activations (`[..., C]`; a single
/// slope, PyTorch's `PReLU()` default, applies to every channel). oneDNN's PReLU primitive
/// would need its own memory plans; the host loop is as fast for the small maps that use it
/// (MTCNN's) and exact.
public enum PReLU {
    /// Returns `prelu(x)` with `slopes` (`[C]` or `[1]`).
    public static func forward(_ x: Tensor, slopes: Tensor) -> Tensor {
        let c = x.shape.last!
        precondition(slopes.count == c || slopes.count == 1, "PReLU has \(slopes.count) slopes for \(c) channels")
        let y = Tensor(uninitializedShape: x.shape)
        let (src, dst, a) = (x.data, y.data, slopes.data)
        let shared = slopes.count == 1
        parallelFor(x.count / c, minimumPerThread: 256) { rows in
            for r in rows {
                let base = r * c
                for j in 0..<c {
                    let v = src[base + j]
                    dst[base + j] = v > 0 ? v : (shared ? a[0] : a[j]) * v
                }
            }
        }
        return y
    }
}
