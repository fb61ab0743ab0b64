import Foundation
import Tensor

/// `scipy.ndimage.gaussian_filter` on an interleaved multi-channel float64
/// image, smoothing rows and columns (not channels), as skimage's
/// `filters.gaussian(..., channel_axis=-1)` calls it.
///
/// Bit-level choices follow SciPy: the kernel is `exp(-0.5 / sigma^2 * x^2)`
/// over `x = -r...r` with `r = Int(truncate * sigma + 0.5)`, normalised by its
/// sum; axis 0 (y) is filtered before axis 1 (x), each pass into float64; and
/// each output is `in[0]*w[0] + sum over j = r...1 of (in[-j] + in[+j]) * w[j]`,
/// the order SciPy's symmetric-kernel loop adds in.
enum GaussianFilter {
    /// SciPy's normalised 1-D Gaussian, centre at index `radius`.
    static func kernel(sigma: Double, radius: Int) -> [Double] {
        let a = -0.5 / (sigma * sigma)
        let raw = (-radius...radius).map { exp(a * Double($0 * $0)) }
        let sum = PixelMath.numpySum(raw[...])
        return raw.map { $0 / sum }
    }

    /// Filters `data` (`height * width * channels`, interleaved) in place.
    static func apply(_ data: inout [Double], width: Int, height: Int, channels: Int,
                      sigma: Double, truncate: Double = 4.0, mode: BorderMode) {
        guard sigma > 1e-15, width > 0, height > 0 else { return }
        let radius = Int(truncate * sigma + 0.5)
        let w = kernel(sigma: sigma, radius: radius)
        vertical(&data, width: width, height: height, channels: channels, weights: w, mode: mode)
        horizontal(&data, width: width, height: height, channels: channels, weights: w, mode: mode)
    }

    /// Symmetric 1-D correlation along y; each output row is a combination of
    /// whole input rows, so the inner loop runs over contiguous samples.
    static func vertical(_ data: inout [Double], width: Int, height: Int, channels: Int,
                         weights w: [Double], mode: BorderMode) {
        let r = w.count / 2, rowLen = width * channels
        var out = [Double](repeating: 0, count: data.count)
        data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                w.withUnsafeBufferPointer { wb in
                    let s = src.baseAddress!, d = dst.baseAddress!, k = wb.baseAddress! + r
                    parallelFor(height, minimumPerThread: 16) { rows in
                        for y in rows {
                            let o = d + y * rowLen, c = s + y * rowLen
                            let w0 = k[0]
                            for i in 0..<rowLen { o[i] = c[i] * w0 }
                            var j = r
                            while j >= 1 {
                                let up = s + mode.index(y - j, height) * rowLen
                                let dn = s + mode.index(y + j, height) * rowLen
                                let wj = k[j]
                                for i in 0..<rowLen { o[i] += (up[i] + dn[i]) * wj }
                                j -= 1
                            }
                        }
                    }
                }
            }
        }
        data = out
    }

    /// Symmetric 1-D correlation along x, through a border-padded copy of each row.
    static func horizontal(_ data: inout [Double], width: Int, height: Int, channels: Int,
                           weights w: [Double], mode: BorderMode) {
        let r = w.count / 2, rowLen = width * channels
        let padded = (width + 2 * r) * channels
        data.withUnsafeMutableBufferPointer { buf in
            w.withUnsafeBufferPointer { wb in
                let base = buf.baseAddress!, k = wb.baseAddress! + r
                parallelFor(height, minimumPerThread: 16) { rows in
                    var line = [Double](repeating: 0, count: padded)
                    line.withUnsafeMutableBufferPointer { lb in
                        let l = lb.baseAddress!
                        for y in rows {
                            let row = base + y * rowLen
                            for x in -r..<(width + r) {
                                let sx = mode.index(x, width)
                                for ch in 0..<channels { l[(x + r) * channels + ch] = row[sx * channels + ch] }
                            }
                            let centre = l + r * channels
                            for i in 0..<rowLen {
                                var t = centre[i] * k[0]
                                var j = r
                                while j >= 1 {
                                    t += (centre[i - j * channels] + centre[i + j * channels]) * k[j]
                                    j -= 1
                                }
                                row[i] = t
                            }
                        }
                    }
                }
            }
        }
    }
}
