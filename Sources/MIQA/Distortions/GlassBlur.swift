import Imaging

/// ImageNet-C `glass_blur`: Gaussian blur (skimage `gaussian`, SciPy "nearest"
/// borders, truncate 4), `uint8(blurred * 255)`, `iterations` passes of local
/// pixel moves, Gaussian blur again, `uint8(clip(., 0, 1) * 255)`.
///
/// The local "swap" is reproduced as the reference actually behaves: its
/// tuple assignment `x[h, w], x[h', w'] = x[h', w'], x[h, w]` works on NumPy
/// views, so `x[h, w]` receives `x[h', w']` while `x[h', w']` keeps its value
/// (a copy, not a swap). Rows `h` run from `H - d` down to `d + 1`, columns
/// from `W - d` down to `d + 1`, and (dx, dy) are drawn per pixel, uniform in
/// `-d ..< d` like `np.random.randint(-d, d, size=2)`.
enum GlassBlur {
    /// MIQD passes non-integer `max_delta` and `iterations` (e.g. 1.5, 0.9);
    /// the reference code needs integers there (`range()` raises TypeError on
    /// floats, see tools/distortions/README.md), so we use Python's `int()`,
    /// truncation toward zero: 0.4, 0.8, 0.9, 0.99 -> 0 iterations, 1.2 -> 1,
    /// 1.5 -> 1, 2.5 -> 2.
    static func count(_ v: Double) -> Int { Int(v.rounded(.towardZero)) }

    static func apply(_ img: RGBImage, sigma: Double, maxDelta d: Int, iterations: Int,
                      rng: inout SeededGenerator) -> RGBImage {
        let W = img.width, H = img.height
        var x = PixelMath.unit(img)
        GaussianFilter.apply(&x, width: W, height: H, channels: 3, sigma: sigma, mode: .nearest)
        var bytes = x.map { PixelMath.truncate($0 * 255) }
        if d > 0 {
            for _ in 0..<iterations {
                var h = H - d
                while h > d {
                    var w = W - d
                    while w > d {
                        let dx = rng.integer(-d, d), dy = rng.integer(-d, d)
                        let hp = h + dy, wp = w + dx
                        let dst = (h * W + w) * 3, src = (hp * W + wp) * 3
                        bytes[dst] = bytes[src]; bytes[dst + 1] = bytes[src + 1]; bytes[dst + 2] = bytes[src + 2]
                        w -= 1
                    }
                    h -= 1
                }
            }
        }
        var y = bytes.map { Double($0) / 255.0 }
        GaussianFilter.apply(&y, width: W, height: H, channels: 3, sigma: sigma, mode: .nearest)
        return PixelMath.bytes(fromUnit: y, width: W, height: H)
    }
}
