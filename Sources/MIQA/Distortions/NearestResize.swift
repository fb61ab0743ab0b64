import Imaging

/// Pillow's `Image.resize(size, Image.NEAREST)`: an affine scale whose source
/// coordinate starts at `scale / 2` and is advanced by adding `scale` once per
/// output pixel (`ImagingScaleAffine`), then truncated. The accumulated sum,
/// not `(x + 0.5) * scale`, is what reproduces Pillow's choices at ties.
enum NearestResize {
    static func sourceIndices(inSize: Int, outSize: Int) -> [Int] {
        let scale = Double(inSize) / Double(outSize)
        var pos = scale * 0.5
        var idx = [Int](repeating: 0, count: outSize)
        for i in 0..<outSize {
            idx[i] = min(max(Int(pos), 0), inSize - 1)
            pos += scale
        }
        return idx
    }

    static func resize(_ img: RGBImage, width: Int, height: Int) -> RGBImage {
        if width == img.width && height == img.height { return img }
        let xs = sourceIndices(inSize: img.width, outSize: width)
        let ys = sourceIndices(inSize: img.height, outSize: height)
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let srow = ys[y] * img.width
            for x in 0..<width {
                let s = (srow + xs[x]) * 3, o = (y * width + x) * 3
                out[o] = img.pixels[s]; out[o + 1] = img.pixels[s + 1]; out[o + 2] = img.pixels[s + 2]
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }
}
