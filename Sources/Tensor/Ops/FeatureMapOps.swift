import Foundation

/// Whole-feature-map operations of detection networks (Darknet's `upsample` and `route`), on
/// channels-last `[N, H, W, C]` tensors.
public enum FeatureMap {
    /// Nearest-neighbour upsampling by an integer factor: `out[y, x] = in[y / f, x / f]`
    /// (Darknet's `upsample`, PyTorch's `interpolate(mode="nearest", scale_factor=f)`).
    public static func upsampleNearest(_ x: Tensor, factor f: Int) -> Tensor {
        precondition(x.rank == 4 && f >= 1, "upsampleNearest needs [N, H, W, C] and a factor >= 1")
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let out = Tensor(uninitializedShape: [n, h * f, w * f, c])
        parallelFor(n * h * f) { rows in
            for row in rows {
                let b = row / (h * f), oy = row % (h * f)
                let src = x.data + ((b * h + oy / f) * w) * c
                let dst = out.data + ((b * h * f + oy) * w * f) * c
                for ox in 0..<(w * f) { (dst + ox * c).update(from: src + (ox / f) * c, count: c) }
            }
        }
        return out
    }

    /// Concatenation along channels of tensors with equal `N, H, W`, in the order given
    /// (Darknet's `route` with several layers, `torch.cat(dim=1)` in NCHW).
    public static func concatChannels(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty && parts.allSatisfy { $0.rank == 4 && Array($0.shape.prefix(3)) == Array(parts[0].shape.prefix(3)) },
                     "concatChannels needs [N, H, W, C] tensors of one spatial size")
        let positions = parts[0].count / parts[0].shape[3]
        let total = parts.reduce(0) { $0 + $1.shape[3] }
        let out = Tensor(uninitializedShape: Array(parts[0].shape.prefix(3)) + [total])
        parallelFor(positions) { range in
            for p in range {
                var offset = 0
                for part in parts {
                    let c = part.shape[3]
                    (out.data + p * total + offset).update(from: part.data + p * c, count: c)
                    offset += c
                }
            }
        }
        return withExtendedLifetime(parts) { out }
    }

    /// Elementwise sum of two tensors of one shape (Darknet's `shortcut` with a linear activation).
    public static func add(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.shape == b.shape, "add needs equal shapes, got \(a.shape) and \(b.shape)")
        let out = Tensor(uninitializedShape: a.shape)
        parallelFor(a.count) { range in for i in range { out.data[i] = a.data[i] + b.data[i] } }
        return withExtendedLifetime((a, b)) { out }
    }
}
