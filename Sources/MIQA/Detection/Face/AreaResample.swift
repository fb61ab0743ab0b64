import Foundation
import Imaging
import Tensor

/// PyTorch's `interpolate(mode="area")` (adaptive average pooling) of a rectangle of an RGB
/// image, written as MTCNN's network input: `(mean - 127.5) * 0.0078125`, NHWC.
///
/// Output row `i` of `oh` averages input rows `floor(i * h / oh) ..< ceil((i + 1) * h / oh)`
/// (columns alike). The sum is divided by the row count, then by the column count, in that
/// order, as PyTorch's kernel does: the samples are whole numbers, so the sums are exact and
/// the result matches PyTorch bit for bit.
enum AreaResample {
    /// A rectangle of pixels: columns `left ..< left + width`, rows `top ..< top + height`.
    struct Region { var left, top, width, height: Int }

    /// Writes the resampled `region` of `image`, `oh x ow`, into `batch` `[N, oh, ow, 3]` at `index`.
    static func write(_ image: RGBImage, region r: Region, into batch: Tensor, at index: Int) {
        let (oh, ow) = (batch.shape[1], batch.shape[2])
        precondition(r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.left + r.width <= image.width && r.top + r.height <= image.height,
                     "area resample region \(r) outside a \(image.width)x\(image.height) image")
        let columns = (0..<ow).map { j in (r.left + j * r.width / ow, r.left + ((j + 1) * r.width + ow - 1) / ow) }
        let out = batch.data + index * oh * ow * 3
        image.pixels.withUnsafeBufferPointer { px in
            for i in 0..<oh {
                let y0 = r.top + i * r.height / oh, y1 = r.top + ((i + 1) * r.height + oh - 1) / oh
                let rows = Float(y1 - y0)
                for (j, (x0, x1)) in columns.enumerated() {
                    var s: (Float, Float, Float) = (0, 0, 0)
                    for y in y0..<y1 {
                        var p = (y * image.width + x0) * 3
                        for _ in x0..<x1 {
                            s.0 += Float(px[p]); s.1 += Float(px[p + 1]); s.2 += Float(px[p + 2])
                            p += 3
                        }
                    }
                    let cols = Float(x1 - x0)
                    let o = out + (i * ow + j) * 3
                    o[0] = (s.0 / rows / cols - 127.5) * 0.0078125
                    o[1] = (s.1 / rows / cols - 127.5) * 0.0078125
                    o[2] = (s.2 / rows / cols - 127.5) * 0.0078125
                }
            }
        }
    }
}
