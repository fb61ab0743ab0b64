/// Turns decoded TIFF sample planes into RGB the way Pillow's TIFF raw modes
/// and `convert("RGB")` do.
enum TIFFSampleConversion {
    /// Whether `rgb` handles this layout (otherwise libtiff's RGBA path is used).
    static func isSupported(_ l: TIFFLayout) -> Bool {
        guard l.sampleFormat == 1 || (l.sampleFormat == 2 && l.bitsPerSample == 8 && l.photometric == 1) else {
            return false
        }
        switch (l.photometric, l.bitsPerSample) {
        case (0, 1), (0, 2), (0, 4), (1, 1), (1, 2), (1, 4), (3, 1), (3, 2), (3, 4), (3, 8):
            return l.samplesPerPixel == 1
        case (0, 8), (1, 8):
            return l.samplesPerPixel <= 2
        case (2, 8):
            return l.samplesPerPixel >= 3
        default:
            return false
        }
    }

    static func rgb(_ planes: [[UInt8]], _ l: TIFFLayout, colormap: [(UInt8, UInt8, UInt8)]?) -> RGBImage {
        var out = RGBImage(width: l.width, height: l.height)
        if l.bitsPerSample < 8 || l.photometric == 3 {
            indexed(planes[0], l, colormap: colormap, into: &out)
        } else if l.photometric == 2 {
            color(interleaved(planes, l), l, into: &out)
        } else {
            let s = interleaved(planes, l)
            let spp = l.samplesPerPixel
            for i in 0..<(l.width * l.height) {
                let v = l.photometric == 0 ? 255 - s[i * spp] : s[i * spp]  // Pillow raw mode "L;I" inverts
                out.pixels[i * 3] = v; out.pixels[i * 3 + 1] = v; out.pixels[i * 3 + 2] = v
            }
        }
        return out
    }

    /// 8-bit samples as RGBRGB... whatever the planar configuration.
    private static func interleaved(_ planes: [[UInt8]], _ l: TIFFLayout) -> [UInt8] {
        guard planes.count > 1 else { return planes[0] }
        let n = l.width * l.height, spp = planes.count
        var s = [UInt8](repeating: 0, count: n * spp)
        for c in 0..<spp {
            for i in 0..<n { s[i * spp + c] = planes[c][i] }
        }
        return s
    }

    /// RGB plus optional extra samples. Associated (premultiplied) alpha is
    /// divided out as Pillow's "RGBa" raw mode does (truncating, clipped,
    /// black where alpha is 0); unassociated alpha and other extras are dropped.
    private static func color(_ s: [UInt8], _ l: TIFFLayout, into out: inout RGBImage) {
        let spp = l.samplesPerPixel
        let premultiplied = spp >= 4 && l.extraSamples.first == 1
        for i in 0..<(l.width * l.height) {
            let p = i * spp
            if premultiplied {
                let a = Int(s[p + 3])
                for c in 0..<3 {
                    out.pixels[i * 3 + c] = a == 0 ? 0 : a == 255 ? s[p + c] : UInt8(min(255, Int(s[p + c]) * 255 / a))
                }
            } else {
                out.pixels[i * 3] = s[p]; out.pixels[i * 3 + 1] = s[p + 1]; out.pixels[i * 3 + 2] = s[p + 2]
            }
        }
    }

    /// Gray or palette samples of 1, 2, 4 or 8 bits, packed from the high bit.
    /// Gray is scaled to 0...255 as Pillow's "L;2"/"L;4"/"1" unpackers do;
    /// palette indices past the colour map give black.
    private static func indexed(_ plane: [UInt8], _ l: TIFFLayout, colormap: [(UInt8, UInt8, UInt8)]?,
                                into out: inout RGBImage) {
        let bits = l.bitsPerSample, maxValue = (1 << bits) - 1
        let rowBytes = l.planeRowBytes
        for y in 0..<l.height {
            for x in 0..<l.width {
                let bit = x * bits
                let byte = Int(plane[y * rowBytes + (bit >> 3)])
                let v = (byte >> (8 - bits - (bit & 7))) & maxValue
                let rgb: (UInt8, UInt8, UInt8)
                if l.photometric == 3 {
                    rgb = colormap.flatMap { v < $0.count ? $0[v] : nil } ?? (0, 0, 0)
                } else {
                    let level = UInt8(v * 255 / maxValue)
                    let g = l.photometric == 0 ? 255 - level : level
                    rgb = (g, g, g)
                }
                out[x, y] = rgb
            }
        }
    }
}
