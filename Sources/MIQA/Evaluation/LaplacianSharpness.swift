import Foundation
import Imaging

/// A no-reference sharpness baseline for the filtering test: the variance of the Laplacian of
/// the image's luma, the usual "is this photo blurred?" heuristic. Sharp, detailed images have
/// strong second derivatives; blur removes them (noise adds them, which is why it is only a baseline).
public enum LaplacianSharpness {
    /// `var(scipy.ndimage.laplace(Y, mode="reflect"))` with `Y = 0.299 R + 0.587 G + 0.114 B` in
    /// double precision (ITU-R 601 weights, unrounded): the 4-neighbour kernel
    /// `[[0,1,0],[1,-4,1],[0,1,0]]`, borders mirrored half-sample (`d c b a | a b c d`), population
    /// variance over every pixel.
    public static func variance(_ image: RGBImage) -> Double {
        let w = image.width, h = image.height
        guard w > 0, h > 0 else { return 0 }
        var luma = [Double](repeating: 0, count: w * h)
        image.pixels.withUnsafeBufferPointer { p in
            for i in 0..<(w * h) {
                luma[i] = 0.299 * Double(p[3 * i]) + 0.587 * Double(p[3 * i + 1]) + 0.114 * Double(p[3 * i + 2])
            }
        }
        // Half-sample reflection of one step past an edge is the edge sample itself.
        @inline(__always) func clampIndex(_ i: Int, _ n: Int) -> Int { i < 0 ? 0 : (i >= n ? n - 1 : i) }
        var sum = 0.0, sumSquares = 0.0
        for y in 0..<h {
            let up = clampIndex(y - 1, h) * w, row = y * w, down = clampIndex(y + 1, h) * w
            for x in 0..<w {
                let left = clampIndex(x - 1, w), right = clampIndex(x + 1, w)
                let v = luma[up + x] + luma[down + x] + luma[row + left] + luma[row + right] - 4 * luma[row + x]
                sum += v
                sumSquares += v * v
            }
        }
        let n = Double(w * h)
        let mean = sum / n
        return max(0, sumSquares / n - mean * mean)
    }
}
