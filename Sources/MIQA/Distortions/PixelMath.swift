import Imaging

/// Conversions between `RGBImage` bytes and the float pipelines of the
/// Python reference, with the reference's exact final step.
enum PixelMath {
    /// `np.array(img) / 255.`: float64 samples on 0...1, HWC interleaved.
    static func unit(_ img: RGBImage) -> [Double] {
        img.pixels.map { Double($0) / 255.0 }
    }

    /// `np.uint8(np.clip(v, 0, 1) * 255)`. The package's `corrupt()` ends with
    /// `np.uint8(...)`, a C cast that truncates toward zero, not a rounding;
    /// doing the same is what keeps our bytes equal to the reference's.
    static func bytes(fromUnit v: [Double], width: Int, height: Int) -> RGBImage {
        RGBImage(width: width, height: height, pixels: v.map { truncate(min(max($0, 0), 1) * 255) })
    }

    /// `np.uint8(np.clip(v, 0, 255))` for pipelines that work on 0...255.
    static func bytes(fromByteRange v: [Double], width: Int, height: Int) -> RGBImage {
        RGBImage(width: width, height: height, pixels: v.map { truncate(min(max($0, 0), 255)) })
    }

    /// C's (uint8_t) cast of a value already clipped to 0...255.
    @inline(__always) static func truncate(_ v: Double) -> UInt8 { UInt8(v.rounded(.towardZero)) }

    /// NumPy's pairwise summation of a float64 vector (`np.sum` on a contiguous
    /// array): blocks of 8 partial sums, recursion above 128 elements. Kernel
    /// normalisation uses it so that the weights match SciPy's to the last bit
    /// in the common cases.
    static func numpySum(_ a: ArraySlice<Double>) -> Double {
        let n = a.count, s = a.startIndex
        if n < 8 {
            var r = 0.0
            for i in a.indices { r += a[i] }
            return r
        }
        if n <= 128 {
            var r = [Double](a[s..<s + 8])
            var i = 8
            while i < n - n % 8 {
                for j in 0..<8 { r[j] += a[s + i + j] }
                i += 8
            }
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < n { res += a[s + i]; i += 1 }
            return res
        }
        var n2 = n / 2
        n2 -= n2 % 8
        return numpySum(a[s..<s + n2]) + numpySum(a[(s + n2)...])
    }
}
