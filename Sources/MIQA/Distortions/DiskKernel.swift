import Foundation

/// The `disk` kernel of ImageNet-C `defocus_blur`, built in float32 exactly
/// as the package does: an indicator of `x^2 + y^2 <= r^2` on a grid of
/// `-8...8` (radius <= 8) or `-r...r` (larger radii), divided by its count,
/// then smoothed by `cv2.GaussianBlur` (3x3 for radius <= 8, else 5x5,
/// sigma = alias blur, BORDER_REFLECT_101) to antialias it.
enum DiskKernel {
    /// Row-major `size * size` float32 weights.
    static func make(radius: Double, aliasBlur: Double) -> (size: Int, weights: [Float]) {
        let coords: [Double]
        let ksize: Int
        if radius <= 8 {
            coords = (-8...8).map(Double.init)
            ksize = 3
        } else {
            // np.arange(-r, r + 1): -r, -r + 1, ... while < r + 1.
            var v: [Double] = []
            var c = -radius
            while c < radius + 1 { v.append(c); c = -radius + Double(v.count) }
            coords = v
            ksize = 5
        }
        let n = coords.count
        var disk = [Float](repeating: 0, count: n * n)
        var count: Float = 0
        for i in 0..<n { for j in 0..<n where coords[i] * coords[i] + coords[j] * coords[j] <= radius * radius {
            disk[i * n + j] = 1
            count += 1
        } }
        for i in disk.indices { disk[i] /= count }
        return (n, gaussianBlur(disk, size: n, ksize: ksize, sigma: aliasBlur))
    }

    /// OpenCV `getGaussianKernel(n, sigma, CV_32F)` as opencv-python 5 computes
    /// it (checked tap for tap): `exp(-0.5 / sigma^2 * x^2)` and its
    /// normalisation in double, rounded to float32 only at the end.
    static func openCVGaussian(_ n: Int, sigma: Double) -> [Float] {
        let s = sigma > 0 ? sigma : ((Double(n) - 1) * 0.5 - 1) * 0.3 + 0.8
        let scale2X = -0.5 / (s * s)
        let e = (0..<n).map { i -> Double in
            let x = Double(i) - Double(n - 1) * 0.5
            return exp(scale2X * x * x)
        }
        let sum = PixelMath.numpySum(e[...])
        return e.map { Float($0 / sum) }
    }

    /// `cv2.GaussianBlur` of a small square float32 image: a row pass then a
    /// column pass, float32 sums in OpenCV's symmetric order
    /// (`s0 * k0 + (s-1 + s+1) * k1 + ...`), BORDER_REFLECT_101.
    static func gaussianBlur(_ img: [Float], size n: Int, ksize: Int, sigma: Double) -> [Float] {
        let k = openCVGaussian(ksize, sigma: sigma)
        let r = ksize / 2
        let border = BorderMode.mirror
        var rows = [Float](repeating: 0, count: n * n)
        for y in 0..<n {
            for x in 0..<n {
                var s = img[y * n + x] * k[r]
                for j in 1...r { s += (img[y * n + border.index(x - j, n)] + img[y * n + border.index(x + j, n)]) * k[r + j] }
                rows[y * n + x] = s
            }
        }
        var out = [Float](repeating: 0, count: n * n)
        for y in 0..<n {
            for x in 0..<n {
                var s = rows[y * n + x] * k[r]
                for j in 1...r { s += (rows[border.index(y - j, n) * n + x] + rows[border.index(y + j, n) * n + x]) * k[r + j] }
                out[y * n + x] = s
            }
        }
        return out
    }
}
