import Foundation
import Imaging

/// A stand-in for MIQD's salient-object masks (the original used a DINO-ViT
/// saliency method that is not reproduced here): spectral-residual saliency
/// (Hou & Zhang, CVPR 2007), thresholded.
public enum SaliencyMask {
    /// Width of the grid the saliency is computed on (the paper's 64 px).
    public static let gridWidth = 64

    /// The continuous saliency map in 0...1 at full image size, row-major.
    ///
    /// 1. Pillow-exact bilinear resize to 64 px wide (height keeps the aspect
    ///    ratio, rounded, at least 1), grey = 0.299 R + 0.587 G + 0.114 B on 0...1;
    /// 2. 2-D DFT; log amplitude `L = log(|F| + 1e-12)`, phase `P`;
    /// 3. spectral residual `R = L - mean3x3(L)` (the spectrum is periodic, so the
    ///    3x3 mean wraps around);
    /// 4. saliency `|IDFT(exp(R + iP))|^2`, smoothed by a Gaussian of sigma 2.5
    ///    (radius 5, mirrored borders; the authors' 10 x 10, sigma 2.5 filter),
    ///    min-max normalised;
    /// 5. bilinear up-sampling to the image size (pixel centres aligned).
    public static func saliencyMap(_ img: RGBImage) -> [Double] {
        let w = gridWidth
        let aspect: Double = Double(img.height) / Double(img.width)
        let h = max(1, Int((aspect * Double(w)).rounded()))
        let small = Resampling.resizeBilinear(img, width: w, height: h)
        var re = [Double](repeating: 0, count: w * h)
        for p in 0..<(w * h) {
            let r: Double = 0.299 * Double(small.pixels[p * 3])
            let g: Double = 0.587 * Double(small.pixels[p * 3 + 1])
            let b: Double = 0.114 * Double(small.pixels[p * 3 + 2])
            re[p] = (r + g + b) / 255
        }
        var im = [Double](repeating: 0, count: w * h)
        SmallDFT.transform(re: &re, im: &im, width: w, height: h, inverse: false)
        var logAmp = [Double](repeating: 0, count: w * h), phase = logAmp
        for i in 0..<(w * h) {
            logAmp[i] = log(hypot(re[i], im[i]) + 1e-12)
            phase[i] = atan2(im[i], re[i])
        }
        for y in 0..<h {
            for x in 0..<w {
                var s = 0.0
                for dy in -1...1 { for dx in -1...1 { s += logAmp[((y + dy + h) % h) * w + (x + dx + w) % w] } }
                let r = exp(logAmp[y * w + x] - s / 9)
                re[y * w + x] = r * cos(phase[y * w + x])
                im[y * w + x] = r * sin(phase[y * w + x])
            }
        }
        SmallDFT.transform(re: &re, im: &im, width: w, height: h, inverse: true)
        var sal = [Double](repeating: 0, count: w * h)
        for i in 0..<(w * h) { sal[i] = re[i] * re[i] + im[i] * im[i] }
        let k = GaussianFilter.kernel(sigma: 2.5, radius: 5)
        GaussianFilter.vertical(&sal, width: w, height: h, channels: 1, weights: k, mode: .mirror)
        GaussianFilter.horizontal(&sal, width: w, height: h, channels: 1, weights: k, mode: .mirror)
        let lo = sal.min() ?? 0, hi = sal.max() ?? 0
        if hi > lo { sal = sal.map { ($0 - lo) / (hi - lo) } } else { sal = sal.map { _ in 0 } }
        return upsample(sal, width: w, height: h, toWidth: img.width, toHeight: img.height)
    }

    /// The binary mask: saliency map thresholded with Otsu's method (256 bins
    /// on 0...1), foreground = above the threshold.
    public static func spectralResidual(_ img: RGBImage) -> BinaryMask {
        let map = saliencyMap(img)
        let t = otsuThreshold(map)
        return BinaryMask(width: img.width, height: img.height, values: map.map { $0 > t ? 1 : 0 })
    }

    /// Otsu's threshold of values in 0...1: the bin edge maximising between-class variance.
    static func otsuThreshold(_ v: [Double]) -> Double {
        var hist = [Double](repeating: 0, count: 256)
        for x in v { hist[min(255, max(0, Int(x * 255)))] += 1 }
        let total = Double(v.count)
        let sumAll = (0..<256).reduce(0.0) { $0 + Double($1) * hist[$1] }
        var wB = 0.0, sumB = 0.0, best = -1.0, bestT = 0
        for t in 0..<256 {
            wB += hist[t]
            if wB == 0 { continue }
            let wF = total - wB
            if wF == 0 { break }
            sumB += Double(t) * hist[t]
            let mB = sumB / wB, mF = (sumAll - sumB) / wF
            let between = wB * wF * (mB - mF) * (mB - mF)
            if between > best { best = between; bestT = t }
        }
        return (Double(bestT) + 1) / 255
    }

    /// Bilinear resampling of a float plane with half-pixel-centre alignment and clamped edges.
    static func upsample(_ v: [Double], width w: Int, height h: Int, toWidth W: Int, toHeight H: Int) -> [Double] {
        var out = [Double](repeating: 0, count: W * H)
        for y in 0..<H {
            let sy = min(max((Double(y) + 0.5) * Double(h) / Double(H) - 0.5, 0), Double(h - 1))
            let y0 = Int(sy), y1 = min(y0 + 1, h - 1), fy = sy - Double(y0)
            for x in 0..<W {
                let sx = min(max((Double(x) + 0.5) * Double(w) / Double(W) - 0.5, 0), Double(w - 1))
                let x0 = Int(sx), x1 = min(x0 + 1, w - 1), fx = sx - Double(x0)
                let top = v[y0 * w + x0] * (1 - fx) + v[y0 * w + x1] * fx
                let bottom = v[y1 * w + x0] * (1 - fx) + v[y1 * w + x1] * fx
                out[y * W + x] = top * (1 - fy) + bottom * fy
            }
        }
        return out
    }
}
