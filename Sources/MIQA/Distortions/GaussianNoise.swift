import Imaging

/// ImageNet-C `gaussian_noise`: `clip(x/255 + N(0, std), 0, 1)`, float64,
/// one independent normal sample per R, G and B sample.
enum GaussianNoise {
    static func apply(_ img: RGBImage, std: Double, rng: inout SeededGenerator) -> RGBImage {
        var x = PixelMath.unit(img)
        for i in x.indices { x[i] += rng.normal() * std }
        return PixelMath.bytes(fromUnit: x, width: img.width, height: img.height)
    }
}
