import Foundation

/// Resampling of small feature grids (used once per model load, so clarity beats speed here).
public enum Interpolate {
    /// PyTorch's `F.interpolate(mode="bicubic", align_corners=False)` on `[C, H, W]` planes
    /// stored channels-last as `[H, W, C]`: cubic convolution with A = -0.75, source coordinate
    /// `(dst + 0.5) * in/out - 0.5` (not clamped), neighbours clamped to the border.
    public static func bicubic(_ x: Tensor, toHeight oh: Int, width ow: Int) -> Tensor {
        let (ih, iw, c) = (x.shape[0], x.shape[1], x.shape[2])
        let out = Tensor(zeros: [oh, ow, c])
        func weights(_ t: Float) -> [Float] {
            let a: Float = -0.75
            func near(_ x: Float) -> Float { ((a + 2) * x - (a + 3)) * x * x + 1 }
            func far(_ x: Float) -> Float { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
            return [far(t + 1), near(t), near(1 - t), far(2 - t)]
        }
        func taps(_ o: Int, inSize: Int, outSize: Int) -> ([Int], [Float]) {
            let scale = Float(inSize) / Float(outSize)
            let src = (Float(o) + 0.5) * scale - 0.5
            let f = src.rounded(.down)
            let w = weights(src - f)
            let idx = (-1...2).map { min(max(Int(f) + $0, 0), inSize - 1) }
            return (idx, w)
        }
        for y in 0..<oh {
            let (ys, wy) = taps(y, inSize: ih, outSize: oh)
            for xo in 0..<ow {
                let (xs, wx) = taps(xo, inSize: iw, outSize: ow)
                let dst = out.data + (y * ow + xo) * c
                for i in 0..<4 {
                    for j in 0..<4 {
                        let wgt = wy[i] * wx[j]
                        let src = x.data + (ys[i] * iw + xs[j]) * c
                        for k in 0..<c { dst[k] += wgt * src[k] }
                    }
                }
            }
        }
        return out
    }
}
