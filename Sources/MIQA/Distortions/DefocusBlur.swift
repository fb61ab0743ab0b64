import Imaging
import Tensor

/// ImageNet-C `defocus_blur`: each channel of x/255 (float64) correlated with
/// the antialiased `DiskKernel` (`cv2.filter2D`, BORDER_REFLECT_101, kernel
/// widened to float64), then `uint8(clip(., 0, 1) * 255)`.
///
/// OpenCV filters this size of kernel through a DFT, we sum directly in
/// float64 (skipping zero taps, which most small-radius kernels are); the two
/// agree to ~1e-15, which can move a value that sits on an integer boundary
/// of the truncating conversion by one level.
enum DefocusBlur {
    static func apply(_ img: RGBImage, radius: Double, aliasBlur: Double) -> RGBImage {
        let (n, kf) = DiskKernel.make(radius: radius, aliasBlur: aliasBlur)
        let r = n / 2, W = img.width, H = img.height
        var taps: [(dy: Int, dx: Int, w: Double)] = []
        for i in 0..<n { for j in 0..<n where kf[i * n + j] != 0 { taps.append((i - r, j - r, Double(kf[i * n + j]))) } }

        // Border-padded float64 copy (reflect-101), so every tap is an offset read.
        let PW = W + 2 * r, PH = H + 2 * r
        var padded = [Double](repeating: 0, count: PW * PH * 3)
        for py in 0..<PH {
            let sy = BorderMode.mirror.index(py - r, H)
            for px in 0..<PW {
                let sx = BorderMode.mirror.index(px - r, W)
                for c in 0..<3 { padded[(py * PW + px) * 3 + c] = Double(img.pixels[(sy * W + sx) * 3 + c]) / 255.0 }
            }
        }
        var out = [Double](repeating: 0, count: W * H * 3)
        let rowLen = W * 3
        padded.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { ob in
                let p = pb.baseAddress!, o = ob.baseAddress!
                parallelFor(H, minimumPerThread: 8) { rows in
                    for y in rows {
                        let orow = o + y * rowLen
                        for t in taps {
                            let src = p + ((y + r + t.dy) * PW + (r + t.dx)) * 3
                            let w = t.w
                            for i in 0..<rowLen { orow[i] += w * src[i] }
                        }
                    }
                }
            }
        }
        return PixelMath.bytes(fromUnit: out, width: W, height: H)
    }
}
