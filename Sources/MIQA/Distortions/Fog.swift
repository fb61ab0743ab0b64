import Imaging

/// ImageNet-C `fog` as in `imagecorruptions`, parameters (amount, wibble decay):
/// on x/255 in float64, `x += amount * plasma[:H, :W]` (one `PlasmaFractal` of
/// side `next_power_of_2(max(H, W, 3))`, shared by the 3 channels), then
/// `uint8(clip(x * m / (m + amount), 0, 1) * 255)` with `m` the image's maximum sample.
enum Fog {
    static func apply(_ img: RGBImage, amount: Double, wibbleDecay: Double, rng: inout SeededGenerator) -> RGBImage {
        apply(img, amount: amount, wibbleDecay: wibbleDecay, unit: { rng.unit() })
    }

    /// `next_power_of_2(max(H, W, 3))`.
    static func mapSize(width: Int, height: Int) -> Int {
        var size = 1
        while size < max(width, height, 3) { size *= 2 }
        return size
    }

    /// The same with an explicit uniform source for the plasma (tests fix it).
    static func apply(_ img: RGBImage, amount: Double, wibbleDecay: Double, unit: () -> Double) -> RGBImage {
        let W = img.width, H = img.height
        var x = PixelMath.unit(img)
        let maxVal = x.max() ?? 0
        let size = mapSize(width: W, height: H)
        let plasma = PlasmaFractal.make(mapSize: size, wibbleDecay: wibbleDecay, unit: unit)
        for y in 0..<H {
            for px in 0..<W {
                let add = amount * plasma[y * size + px]
                for c in 0..<3 { x[(y * W + px) * 3 + c] += add }
            }
        }
        for i in x.indices { x[i] = x[i] * maxVal / (maxVal + amount) }
        return PixelMath.bytes(fromUnit: x, width: W, height: H)
    }
}
