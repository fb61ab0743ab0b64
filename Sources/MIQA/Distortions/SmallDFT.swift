import Foundation

/// A plain 2-D discrete Fourier transform for the small (~64 px) grids of
/// spectral-residual saliency: separable, row DFTs then column DFTs, each a
/// direct O(N^2) sum with tabulated twiddles. At 64 x 48 that is ~0.4 M
/// complex multiply-adds, so no FFT is needed.
enum SmallDFT {
    /// Transforms `(re, im)` (row-major `width * height`) in place.
    /// `inverse` uses the conjugate twiddles and divides by `width * height`.
    static func transform(re: inout [Double], im: inout [Double], width w: Int, height h: Int, inverse: Bool) {
        let sign = inverse ? 1.0 : -1.0
        func pass(count n: Int, lines: Int, index: (Int, Int) -> Int) {
            let cosT = (0..<n).map { cos(2 * Double.pi * Double($0) / Double(n)) }
            let sinT = (0..<n).map { sign * sin(2 * Double.pi * Double($0) / Double(n)) }
            var outRe = [Double](repeating: 0, count: n), outIm = outRe
            for line in 0..<lines {
                for k in 0..<n {
                    var sr = 0.0, si = 0.0
                    for t in 0..<n {
                        let j = (k * t) % n
                        let xr = re[index(line, t)], xi = im[index(line, t)]
                        sr += xr * cosT[j] - xi * sinT[j]
                        si += xr * sinT[j] + xi * cosT[j]
                    }
                    outRe[k] = sr
                    outIm[k] = si
                }
                for k in 0..<n {
                    re[index(line, k)] = outRe[k]
                    im[index(line, k)] = outIm[k]
                }
            }
        }
        pass(count: w, lines: h) { y, x in y * w + x }
        pass(count: h, lines: w) { x, y in y * w + x }
        if inverse {
            let s = 1.0 / Double(w * h)
            for i in re.indices { re[i] *= s; im[i] *= s }
        }
    }
}
