import Foundation
@testable import Tensor

/// Plain, obviously-correct implementations the fast kernels are checked against.
enum Reference {
    /// Deterministic pseudo-random values in [-1, 1) (xorshift), so failures reproduce.
    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var s = seed &* 0x9E3779B97F4A7C15 | 1
        return (0..<count).map { _ in
            s ^= s << 13; s ^= s >> 7; s ^= s << 17
            return Float(s % 2_000_001) / 1_000_000 - 1
        }
    }

    /// NHWC convolution with OIHW weights, explicit padding, groups, dilation.
    static func conv(_ x: [Float], n: Int, h: Int, w: Int, c: Int, weight: [Float], o: Int, kh: Int, kw: Int,
                     stride: Int, pad: (Int, Int, Int, Int), dilation: Int, groups: Int, bias: [Float]?) -> ([Float], Int, Int) {
        let (pt, pl, pb, pr) = pad
        let oh = (h + pt + pb - dilation * (kh - 1) - 1) / stride + 1
        let ow = (w + pl + pr - dilation * (kw - 1) - 1) / stride + 1
        let cg = c / groups, og = o / groups
        var out = [Float](repeating: 0, count: n * oh * ow * o)
        for b in 0..<n { for y in 0..<oh { for xo in 0..<ow { for oc in 0..<o {
            let g = oc / og
            var acc: Double = Double(bias?[oc] ?? 0)
            for ic in 0..<cg { for ky in 0..<kh { for kx in 0..<kw {
                let iy = y * stride - pt + ky * dilation, ix = xo * stride - pl + kx * dilation
                if iy < 0 || iy >= h || ix < 0 || ix >= w { continue }
                let xv = x[((b * h + iy) * w + ix) * c + g * cg + ic]
                let wv = weight[((oc * cg + ic) * kh + ky) * kw + kx]
                acc += Double(xv) * Double(wv)
            } } }
            out[((b * oh + y) * ow + xo) * o + oc] = Float(acc)
        } } } }
        return (out, oh, ow)
    }

    static func linear(_ x: [Float], rows: Int, weight: [Float], out: Int, inF: Int, bias: [Float]?) -> [Float] {
        var y = [Float](repeating: 0, count: rows * out)
        for r in 0..<rows { for o in 0..<out {
            var acc = Double(bias?[o] ?? 0)
            for i in 0..<inF { acc += Double(x[r * inF + i]) * Double(weight[o * inF + i]) }
            y[r * out + o] = Float(acc)
        } }
        return y
    }

    static func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "sizes \(a.count) vs \(b.count)")
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }
}
