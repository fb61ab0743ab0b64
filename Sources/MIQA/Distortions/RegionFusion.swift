import Foundation
import Imaging

/// MIQD's region-aware degradation: blend a foreground-distorted and a
/// background-distorted copy of one reference through a feathered mask.
///
/// The rule, as MIQA-FACTS describes it, with our readings of what was not published:
/// 1. `m` = the binary mask (0/1) blurred by a 65x65 Gaussian whose sigma
///    follows OpenCV's rule for sigma 0, `0.3 * ((65 - 1) / 2 - 1) + 0.8 = 10.1`,
///    with OpenCV's default BORDER_REFLECT_101 (`cv2.GaussianBlur(m, (65, 65), 0)`);
/// 2. the mask's "eroded core", the mask eroded by a 33x33 square (half the
///    feather radius; pixels outside the image count as foreground, like
///    `cv2.erode`'s default border), is forced to `m = 1`;
/// 3. `fused = fg * m + bg * (1 - m)` per channel, in float64;
/// 4. where `0.05 < m < 0.95`, `fused = 0.5 * fused + 0.5 * blur3(fused)`, with
///    `blur3` OpenCV's 3x3 Gaussian for sigma 0 (taps 1/4, 1/2, 1/4), reflect-101;
/// 5. bytes: `clip(round(fused), 0, 255)` (ties to even, like `np.rint`).
public enum RegionFusion {
    /// Side of the feathering Gaussian.
    public static let featherSize = 65
    /// Side of the square that erodes the mask to its always-foreground core.
    public static let coreErosionSize = 33

    /// The fused image; all three inputs must have the same size.
    public static func fuse(foreground: RGBImage, background: RGBImage, mask: BinaryMask) -> RGBImage {
        precondition(foreground.width == background.width && foreground.height == background.height,
                     "foreground and background sizes differ")
        precondition(mask.width == foreground.width && mask.height == foreground.height, "mask size differs")
        let W = foreground.width, H = foreground.height
        let m = featherWeights(mask)
        var fused = [Double](repeating: 0, count: W * H * 3)
        for p in 0..<(W * H) {
            for c in 0..<3 {
                let i = p * 3 + c
                fused[i] = Double(foreground.pixels[i]) * m[p] + Double(background.pixels[i]) * (1 - m[p])
            }
        }
        var blurred = fused
        let k3 = [0.25, 0.5, 0.25]
        GaussianFilter.vertical(&blurred, width: W, height: H, channels: 3, weights: k3, mode: .mirror)
        GaussianFilter.horizontal(&blurred, width: W, height: H, channels: 3, weights: k3, mode: .mirror)
        var out = [UInt8](repeating: 0, count: W * H * 3)
        for p in 0..<(W * H) {
            let band = m[p] > 0.05 && m[p] < 0.95
            for c in 0..<3 {
                let i = p * 3 + c
                let v = band ? 0.5 * fused[i] + 0.5 * blurred[i] : fused[i]
                out[i] = UInt8(min(max(v.rounded(.toNearestOrEven), 0), 255))
            }
        }
        return RGBImage(width: W, height: H, pixels: out)
    }

    /// The per-pixel foreground weight `m` in 0...1 (steps 1 and 2 above), row-major.
    public static func featherWeights(_ mask: BinaryMask) -> [Double] {
        let W = mask.width, H = mask.height
        var m = mask.values.map(Double.init)
        let sigma = 0.3 * (Double(featherSize - 1) * 0.5 - 1) + 0.8
        let k = gaussianTaps(size: featherSize, sigma: sigma)
        GaussianFilter.vertical(&m, width: W, height: H, channels: 1, weights: k, mode: .mirror)
        GaussianFilter.horizontal(&m, width: W, height: H, channels: 1, weights: k, mode: .mirror)
        let core = erode(mask, size: coreErosionSize)
        for i in m.indices where core[i] { m[i] = 1 }
        return m
    }

    /// Normalised float64 Gaussian taps `exp(-x^2 / (2 sigma^2))`, x = -(size/2)...(size/2).
    static func gaussianTaps(size: Int, sigma: Double) -> [Double] {
        let r = size / 2
        let raw = (-r...r).map { exp(-0.5 / (sigma * sigma) * Double($0 * $0)) }
        let sum = raw.reduce(0, +)
        return raw.map { $0 / sum }
    }

    /// Binary erosion by a `size x size` square, separably (a square's erosion
    /// is a row erosion followed by a column erosion); out-of-image samples
    /// count as foreground.
    static func erode(_ mask: BinaryMask, size: Int) -> [Bool] {
        let W = mask.width, H = mask.height, r = size / 2
        var rows = [Bool](repeating: false, count: W * H)
        for y in 0..<H {
            // Running count of background pixels inside the window.
            var prefix = [Int](repeating: 0, count: W + 1)
            for x in 0..<W { prefix[x + 1] = prefix[x] + (mask.values[y * W + x] == 0 ? 1 : 0) }
            for x in 0..<W { rows[y * W + x] = prefix[min(W, x + r + 1)] - prefix[max(0, x - r)] == 0 }
        }
        var out = [Bool](repeating: false, count: W * H)
        for x in 0..<W {
            var prefix = [Int](repeating: 0, count: H + 1)
            for y in 0..<H { prefix[y + 1] = prefix[y] + (rows[y * W + x] ? 0 : 1) }
            for y in 0..<H { out[y * W + x] = prefix[min(H, y + r + 1)] - prefix[max(0, y - r)] == 0 }
        }
        return out
    }
}
