import Foundation

/// Conversions between PyTorch's channels-first layout and the engine's channels-last one.
public enum Layout {
    /// `[N, C, H, W]` -> `[N, H, W, C]`.
    public static func nchwToNHWC(_ x: Tensor) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let out = Tensor(uninitializedShape: [n, h, w, c])
        parallelFor(n * h) { range in
            for row in range {
                let b = row / h, y = row % h
                for xx in 0..<w {
                    let dst = out.data + ((b * h + y) * w + xx) * c
                    for ch in 0..<c { dst[ch] = x.data[((b * c + ch) * h + y) * w + xx] }
                }
            }
        }
        return out
    }
}
