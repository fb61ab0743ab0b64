import Foundation

/// Local SSIM statistics of two single-channel float64 planes on 0...255.
enum SSIMMap {
    static let c1 = (0.01 * 255) * (0.01 * 255), c2 = (0.03 * 255) * (0.03 * 255)

    /// skimage's 11x11 window: SciPy Gaussian, sigma 1.5, truncate 3.5 (radius 5).
    static let window = GaussianFilter.kernel(sigma: 1.5, radius: 5)

    /// Same-size maps with border handling `mode` (skimage uses SciPy "reflect").
    static func compute(_ x: [Double], _ y: [Double], width w: Int, height h: Int, border: BorderMode)
        -> (ssim: [Double], cs: [Double])
    {
        func filt(_ v: [Double]) -> [Double] {
            var d = v
            GaussianFilter.vertical(&d, width: w, height: h, channels: 1, weights: window, mode: border)
            GaussianFilter.horizontal(&d, width: w, height: h, channels: 1, weights: window, mode: border)
            return d
        }
        return combine(filt(x), filt(y), filt(zip(x, x).map(*)), filt(zip(y, y).map(*)), filt(zip(x, y).map(*)))
    }

    /// Maps only where the 11x11 window fits: `(w - 10) x (h - 10)` values.
    static func computeValid(_ x: [Double], _ y: [Double], width w: Int, height h: Int) -> (ssim: [Double], cs: [Double]) {
        let r = 5, ow = w - 2 * r, oh = h - 2 * r
        func filt(_ v: [Double]) -> [Double] {
            var tmp = [Double](repeating: 0, count: ow * h)
            for yy in 0..<h { for xx in 0..<ow {
                var s = 0.0
                for k in 0...(2 * r) { s += window[k] * v[yy * w + xx + k] }
                tmp[yy * ow + xx] = s
            } }
            var out = [Double](repeating: 0, count: ow * oh)
            for yy in 0..<oh { for xx in 0..<ow {
                var s = 0.0
                for k in 0...(2 * r) { s += window[k] * tmp[(yy + k) * ow + xx] }
                out[yy * ow + xx] = s
            } }
            return out
        }
        return combine(filt(x), filt(y), filt(zip(x, x).map(*)), filt(zip(y, y).map(*)), filt(zip(x, y).map(*)))
    }

    /// SSIM and contrast-structure maps from the filtered moments
    /// (population covariances, as skimage with `use_sample_covariance=False`).
    static func combine(_ ux: [Double], _ uy: [Double], _ uxx: [Double], _ uyy: [Double], _ uxy: [Double])
        -> (ssim: [Double], cs: [Double])
    {
        var s = [Double](repeating: 0, count: ux.count), cs = s
        for i in ux.indices {
            let vx = uxx[i] - ux[i] * ux[i], vy = uyy[i] - uy[i] * uy[i], vxy = uxy[i] - ux[i] * uy[i]
            let a1 = 2 * ux[i] * uy[i] + c1, a2 = 2 * vxy + c2
            let b1 = ux[i] * ux[i] + uy[i] * uy[i] + c1, b2 = vx + vy + c2
            s[i] = (a1 * a2) / (b1 * b2)
            cs[i] = a2 / b2
        }
        return (s, cs)
    }

    /// Mean of the map without a `crop`-wide frame.
    static func croppedMean(_ m: [Double], width w: Int, height h: Int, crop: Int) -> Double {
        var s = 0.0
        for y in crop..<(h - crop) { for x in crop..<(w - crop) { s += m[y * w + x] } }
        return s / Double((w - 2 * crop) * (h - 2 * crop))
    }

    /// 2x2 mean pooling, dropping an odd last row/column.
    static func pool2(_ v: [Double], width w: Int, height h: Int) -> ([Double], Int, Int) {
        let ow = w / 2, oh = h / 2
        var out = [Double](repeating: 0, count: ow * oh)
        for y in 0..<oh { for x in 0..<ow {
            let i = 2 * y * w + 2 * x
            out[y * ow + x] = (v[i] + v[i + w] + v[i + 1] + v[i + w + 1]) / 4
        } }
        return (out, ow, oh)
    }
}
