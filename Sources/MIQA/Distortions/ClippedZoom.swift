import Foundation

/// ImageNet-C's `clipped_zoom` on one float64 plane: crop the centre
/// `ceil(H / z) x ceil(W / z)`, then `scipy.ndimage.zoom(order=1)` by `z`,
/// which gives `round(side * z)` samples per side (Python's round, ties to
/// even) and maps output index `o` to input `o * (in - 1) / (out - 1)`
/// (SciPy >= 1.6, `grid_mode=False`), linearly interpolated.
enum ClippedZoom {
    static func apply(_ src: [Double], width W: Int, height H: Int, zoom z: Double) -> (values: [Double], width: Int, height: Int) {
        let ch = Int((Double(H) / z).rounded(.up)), cw = Int((Double(W) / z).rounded(.up))
        let top = (H - ch).floorDiv2, left = (W - cw).floorDiv2
        let oh = Int((Double(ch) * z).rounded(.toNearestOrEven)), ow = Int((Double(cw) * z).rounded(.toNearestOrEven))
        let ys = coordinates(inSize: ch, outSize: oh), xs = coordinates(inSize: cw, outSize: ow)
        var out = [Double](repeating: 0, count: oh * ow)
        @inline(__always) func at(_ y: Int, _ x: Int) -> Double {
            // SciPy's "constant" mode: samples past the crop read 0 (they only
            // ever get weight 0 here, at the very last coordinate).
            (y < ch && x < cw) ? src[(top + y) * W + left + x] : 0
        }
        for oy in 0..<oh {
            let (y0, ty) = ys[oy]
            for ox in 0..<ow {
                let (x0, tx) = xs[ox]
                out[oy * ow + ox] = (1 - ty) * ((1 - tx) * at(y0, x0) + tx * at(y0, x0 + 1))
                    + ty * ((1 - tx) * at(y0 + 1, x0) + tx * at(y0 + 1, x0 + 1))
            }
        }
        return (out, ow, oh)
    }

    /// For each output index: the lower input index and the fractional weight of the next one.
    static func coordinates(inSize: Int, outSize: Int) -> [(Int, Double)] {
        let scale = outSize > 1 ? Double(inSize - 1) / Double(outSize - 1) : 1
        return (0..<outSize).map { o in
            let c = Double(o) * scale
            let f = c.rounded(.down)
            return (Int(f), c - f)
        }
    }
}

extension Int {
    /// Python's `//` by 2 (floors negative values).
    var floorDiv2: Int { self >= 0 ? self / 2 : -((-self + 1) / 2) }
}
