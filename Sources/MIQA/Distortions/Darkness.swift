import Imaging

/// MIQD's `darkness` (not an ImageNet-C corruption): ImageNet-C `brightness`
/// with the amount subtracted instead of added. Formula, on x/255 in float64:
/// `(h, s, v) = rgb2hsv(x)`, `v' = clip(v - amount, 0, 1)`, `y = hsv2rgb(h, s, v')`,
/// output `uint8(clip(y, 0, 1) * 255)` (truncating), with skimage's HSV
/// conversions (see `HSV`).
enum Darkness {
    static func apply(_ img: RGBImage, amount: Double) -> RGBImage {
        let x = PixelMath.unit(img)
        var out = x
        var i = 0
        while i < x.count {
            let (h, s, v) = HSV.fromRGB(x[i], x[i + 1], x[i + 2])
            let (r, g, b) = HSV.toRGB(h, s, min(max(v - amount, 0), 1))
            out[i] = r; out[i + 1] = g; out[i + 2] = b
            i += 3
        }
        return PixelMath.bytes(fromUnit: out, width: img.width, height: img.height)
    }
}
