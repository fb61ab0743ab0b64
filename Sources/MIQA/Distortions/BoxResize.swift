import Imaging

/// Pillow's `Image.resize(size, Image.BOX)` for RGB, bit-exact: the same
/// fixed-point taps as its bilinear/bicubic path (22 fraction bits, taps
/// rounded half away from zero) with the box kernel (weight 1 on (-0.5, 0.5]),
/// horizontal pass first into 8-bit samples, then vertical. `Imaging` has no
/// box filter, so this lives here.
enum BoxResize {
    static let precisionBits = 22

    struct Taps {
        var first: [Int], count: [Int], weights: [[Int32]]
    }

    /// Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for the box filter.
    static func taps(inSize: Int, outSize: Int) -> Taps {
        let scale = Double(inSize) / Double(outSize)
        let filterScale = max(scale, 1.0)
        let support = 0.5 * filterScale
        let invScale = 1.0 / filterScale
        let one = Double(1 << precisionBits)
        var t = Taps(first: [], count: [], weights: [])
        for xx in 0..<outSize {
            let center = (Double(xx) + 0.5) * scale
            let xmin = max(Int(center - support + 0.5), 0)
            let xmax = min(Int(center + support + 0.5), inSize) - xmin
            var k = [Double](repeating: 0, count: max(xmax, 0))
            var sum = 0.0
            for x in 0..<max(xmax, 0) {
                let d = (Double(x + xmin) - center + 0.5) * invScale
                let w = (d > -0.5 && d <= 0.5) ? 1.0 : 0.0
                k[x] = w
                sum += w
            }
            let fixed = k.map { v -> Int32 in
                let w = sum != 0 ? v / sum : v
                return w < 0 ? Int32(-0.5 + w * one) : Int32(0.5 + w * one)
            }
            t.first.append(xmin)
            t.count.append(max(xmax, 0))
            t.weights.append(fixed)
        }
        return t
    }

    @inline(__always) static func clip8(_ v: Int32) -> UInt8 {
        let s = v >> Int32(precisionBits)
        return UInt8(s < 0 ? 0 : (s > 255 ? 255 : s))
    }

    static func resize(_ img: RGBImage, width: Int, height: Int) -> RGBImage {
        if width == img.width && height == img.height { return img }
        var cur = img
        let bias = Int32(1 << (precisionBits - 1))
        if width != cur.width {
            let t = taps(inSize: cur.width, outSize: width)
            var out = [UInt8](repeating: 0, count: width * cur.height * 3)
            for y in 0..<cur.height {
                for xx in 0..<width {
                    var s0 = bias, s1 = bias, s2 = bias
                    for k in 0..<t.count[xx] {
                        let i = (y * cur.width + t.first[xx] + k) * 3, w = t.weights[xx][k]
                        s0 &+= Int32(cur.pixels[i]) &* w
                        s1 &+= Int32(cur.pixels[i + 1]) &* w
                        s2 &+= Int32(cur.pixels[i + 2]) &* w
                    }
                    let o = (y * width + xx) * 3
                    out[o] = clip8(s0); out[o + 1] = clip8(s1); out[o + 2] = clip8(s2)
                }
            }
            cur = RGBImage(width: width, height: cur.height, pixels: out)
        }
        if height != cur.height {
            let t = taps(inSize: cur.height, outSize: height)
            let rowLen = cur.width * 3
            var out = [UInt8](repeating: 0, count: rowLen * height)
            for yy in 0..<height {
                for i in 0..<rowLen {
                    var s = bias
                    for k in 0..<t.count[yy] { s &+= Int32(cur.pixels[(t.first[yy] + k) * rowLen + i]) &* t.weights[yy][k] }
                    out[yy * rowLen + i] = clip8(s)
                }
            }
            cur = RGBImage(width: cur.width, height: height, pixels: out)
        }
        return cur
    }
}
