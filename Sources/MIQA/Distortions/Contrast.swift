import Imaging

/// ImageNet-C `contrast`: `clip((x - m) * c + m, 0, 1)` on x/255 in float64,
/// with `m` the per-channel mean over the whole image.
enum Contrast {
    static func apply(_ img: RGBImage, factor c: Double) -> RGBImage {
        let x = PixelMath.unit(img)
        var sums = [0.0, 0.0, 0.0]
        for i in x.indices { sums[i % 3] += x[i] }
        let n = Double(img.width * img.height)
        let means = sums.map { $0 / n }
        var out = x
        for i in out.indices { out[i] = (x[i] - means[i % 3]) * c + means[i % 3] }
        return PixelMath.bytes(fromUnit: out, width: img.width, height: img.height)
    }
}
