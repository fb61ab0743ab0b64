extension Preprocess {
    /// `ToTensor()` + `Normalize(mean, std)`: `(Float(v) / 255 - mean) / std`
    /// in Float32, the same operations and order as torch, so the values are
    /// identical. As a pixel only has 256 values per channel, the results come
    /// from a 768-entry table computed with exactly that expression.
    static func lookupTable(mean: (Float, Float, Float), std: (Float, Float, Float)) -> [Float] {
        let m = [mean.0, mean.1, mean.2], s = [std.0, std.1, std.2]
        var table = [Float](repeating: 0, count: 3 * 256)
        for c in 0..<3 {
            for v in 0..<256 {
                let unit = Float(v) / Float(255)
                table[c * 256 + v] = (unit - m[c]) / s[c]
            }
        }
        return table
    }

    /// The image as a normalised `3 x height x width` Float32 tensor (CHW).
    public static func normalizedCHW(_ img: RGBImage, mean: (Float, Float, Float),
                                     std: (Float, Float, Float)) -> [Float] {
        let table = lookupTable(mean: mean, std: std)
        let plane = img.width * img.height
        return [Float](unsafeUninitializedCapacity: plane * 3) { out, initialized in
            img.pixels.withUnsafeBufferPointer { px in
                for c in 0..<3 {
                    let base = c * plane
                    for i in 0..<plane { out[base + i] = table[c * 256 + Int(px[i * 3 + c])] }
                }
            }
            initialized = plane * 3
        }
    }

    /// Writes the image as a normalised `height x width x 3` tensor (HWC,
    /// channels-last) into `out`, which must hold `width * height * 3` floats.
    public static func normalizedHWC(_ img: RGBImage, mean: (Float, Float, Float),
                                     std: (Float, Float, Float), into out: UnsafeMutablePointer<Float>) {
        let table = lookupTable(mean: mean, std: std)
        img.pixels.withUnsafeBufferPointer { px in
            for i in 0..<px.count { out[i] = table[(i % 3) * 256 + Int(px[i])] }
        }
    }
}
