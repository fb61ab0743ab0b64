import Foundation
import Imaging

/// Full-reference quality metrics between two RGB images of the same size,
/// computed on all three channels with data range 255.
public enum QualityMetrics {
    /// PSNR in dB: `10 log10(255^2 / MSE)`, MSE over every R, G, B sample;
    /// `+infinity` for identical images.
    public static func psnr(_ a: RGBImage, _ b: RGBImage) throws -> Double {
        try checkSizes(a, b)
        var se = 0.0
        for i in a.pixels.indices {
            let d = Double(a.pixels[i]) - Double(b.pixels[i])
            se += d * d
        }
        if se == 0 { return .infinity }
        return 10 * log10(255.0 * 255.0 / (se / Double(a.pixels.count)))
    }

    /// SSIM as `skimage.metrics.structural_similarity(a, b, gaussian_weights=True,
    /// sigma=1.5, use_sample_covariance=False, data_range=255, channel_axis=2)`:
    /// per channel (not on luminance; channels are compared as they are, like
    /// skimage's multichannel mode), Gaussian-weighted local statistics
    /// (11x11, sigma 1.5, SciPy "reflect" borders), K1 = 0.01, K2 = 0.03, the
    /// SSIM map averaged after cropping 5 px from each side, then the mean of
    /// the three channel values.
    public static func ssim(_ a: RGBImage, _ b: RGBImage) throws -> Double {
        try checkSizes(a, b)
        let (x, y) = planes(a, b)
        var total = 0.0
        for c in 0..<3 {
            let s = SSIMMap.compute(x[c], y[c], width: a.width, height: a.height, border: .reflect)
            total += SSIMMap.croppedMean(s.ssim, width: a.width, height: a.height, crop: 5)
        }
        return total / 3
    }

    /// MS-SSIM (Wang, Simoncelli & Bovik 2003) per channel, averaged over R, G, B:
    /// 5 scales with weights (0.0448, 0.2856, 0.3001, 0.2363, 0.1333); at each
    /// scale the 11x11 sigma 1.5 Gaussian statistics are taken only where the
    /// window fits ("valid", no padding), the contrast-structure term's mean
    /// enters scales 1...4 and luminance x contrast-structure the 5th; between
    /// scales, 2x2 mean pooling (an odd last row/column is dropped). A negative
    /// mean term is clamped to 0 before its fractional power.
    /// - Throws: `DistortionError.imageTooSmall` below 176 px per side (the
    ///   11 px window must fit at 1/16 scale).
    public static func msSSIM(_ a: RGBImage, _ b: RGBImage) throws -> Double {
        try checkSizes(a, b)
        guard min(a.width, a.height) >= 176 else {
            throw DistortionError.imageTooSmall(operation: "MS-SSIM", width: a.width, height: a.height, minimum: 176)
        }
        let weights = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333]
        let (xs, ys) = planes(a, b)
        var total = 0.0
        for c in 0..<3 {
            var x = xs[c], y = ys[c], w = a.width, h = a.height
            var value = 1.0
            for s in 0..<5 {
                let m = SSIMMap.computeValid(x, y, width: w, height: h)
                if s < 4 {
                    value *= pow(max(mean(m.cs), 0), weights[s])
                    (x, _, _) = SSIMMap.pool2(x, width: w, height: h)
                    (y, w, h) = SSIMMap.pool2(y, width: w, height: h)
                } else {
                    value *= pow(max(mean(m.ssim), 0), weights[s])
                }
            }
            total += value
        }
        return total / 3
    }

    static func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }

    static func planes(_ a: RGBImage, _ b: RGBImage) -> ([[Double]], [[Double]]) {
        let n = a.width * a.height
        var x = [[Double]](repeating: [Double](repeating: 0, count: n), count: 3), y = x
        for p in 0..<n {
            for c in 0..<3 {
                x[c][p] = Double(a.pixels[p * 3 + c])
                y[c][p] = Double(b.pixels[p * 3 + c])
            }
        }
        return (x, y)
    }

    static func checkSizes(_ a: RGBImage, _ b: RGBImage) throws {
        guard a.width == b.width && a.height == b.height else {
            throw DistortionError.sizeMismatch("\(a.width)x\(a.height) vs \(b.width)x\(b.height)")
        }
    }
}
