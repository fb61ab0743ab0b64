import Foundation
import Tensor

/// The small operations MTCNN's three networks share besides convolutions and dense layers.
enum MTCNNLayers {
    /// PyTorch's `MaxPool2d(k, s, ceil_mode=True)` on NHWC: the output has
    /// `ceil((h - k) / s) + 1` rows, the last window running over the bottom edge (the part
    /// outside never wins the max). With `k >= s`, as in every MTCNN pool, PyTorch's rule that
    /// a window must start inside the input never drops that last row.
    static func ceilMaxPool(_ x: Tensor, kernel k: Int, stride s: Int) -> Tensor {
        let (h, w) = (x.shape[1], x.shape[2])
        let oh = (h - k + s - 1) / s + 1, ow = (w - k + s - 1) / s + 1
        let extraH = (oh - 1) * s + k - h, extraW = (ow - 1) * s + k - w
        if extraH == extraW { return Pooling.max2d(x, kernel: k, stride: s, before: 0, after: extraH) }
        // Pooling pads both axes alike; pad the short axis by hand with values that never win.
        let padded = padBottomRight(x, rows: extraH, columns: extraW)
        return Pooling.max2d(padded, kernel: k, stride: s, before: 0, after: 0)
    }

    /// `x` with `rows` more rows and `columns` more columns of -infinity at the bottom and right.
    private static func padBottomRight(_ x: Tensor, rows: Int, columns: Int) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let out = Tensor(uninitializedShape: [n, h + rows, w + columns, c])
        out.buffer.update(repeating: -.infinity)
        for b in 0..<n {
            for y in 0..<h {
                (out.data + ((b * (h + rows) + y) * (w + columns)) * c).update(from: x.data + ((b * h + y) * w) * c, count: w * c)
            }
        }
        return out
    }

    /// The face probability (softmax over the two logits, index 1) of every row of `[..., 2]`.
    static func faceProbability(_ logits: Tensor) -> [Float] {
        let rows = logits.count / 2
        var p = [Float](repeating: 0, count: rows)
        for r in 0..<rows {
            let a = logits.data[2 * r], b = logits.data[2 * r + 1]
            let m = max(a, b)
            let ea = expf(a - m), eb = expf(b - m)
            p[r] = eb / (ea + eb)
        }
        return p
    }

    /// Flattens `[N, H, W, C]` in facenet-pytorch's order: it permutes NCHW to (N, W, H, C)
    /// before flattening (the layout its TensorFlow-converted dense weights expect), so the
    /// width index varies slowest.
    static func flattenWidthFirst(_ x: Tensor) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let out = Tensor(uninitializedShape: [n, w * h * c])
        for b in 0..<n {
            for y in 0..<h {
                for xx in 0..<w {
                    (out.data + ((b * w + xx) * h + y) * c).update(from: x.data + ((b * h + y) * w + xx) * c, count: c)
                }
            }
        }
        return out
    }
}
