import Foundation

/// Cheap element-wise operations written in Swift (the compiler vectorises these loops).
public enum Elementwise {
    /// `x[n, ..., c] *= scale[n, c]` for channels-last `x` (squeeze-and-excitation's rescale).
    public static func scaleChannels(_ x: Tensor, by scale: Tensor) {
        let n = x.shape[0], c = x.shape.last!
        let positions = x.count / (n * c)
        parallelFor(n * positions, minimumPerThread: 64) { range in
            for i in range {
                let b = i / positions
                let row = x.data + i * c
                let s = scale.data + b * c
                for j in 0..<c { row[j] *= s[j] }
            }
        }
    }

    /// `x += y` element by element.
    public static func addInPlace(_ x: Tensor, _ y: Tensor) {
        precondition(x.count == y.count, "add: \(x.shape) vs \(y.shape)")
        let count = x.count
        parallelFor(count, minimumPerThread: 1 << 16) { range in
            for i in range { x.data[i] += y.data[i] }
        }
    }
}

extension Elementwise {
    /// `y[n, ..., c] = x[n, ..., c] * scale[n, c]` into a new tensor (training keeps `x`).
    public static func scaledChannels(_ x: Tensor, by scale: Tensor) -> Tensor {
        let y = x.copy()
        scaleChannels(y, by: scale)
        return y
    }

    /// Backward of `scaledChannels`: dx = dy * scale, dscale[n, c] = sum over positions of dy * x.
    public static func scaledChannelsBackward(_ dy: Tensor, x: Tensor, scale: Tensor) -> (dx: Tensor, dscale: Tensor) {
        let dx = scaledChannels(dy, by: scale)
        let n = x.shape[0], c = x.shape.last!
        let positions = x.count / (n * c)
        let ds = Tensor(zeros: [n, c])
        parallelFor(n) { range in
            for b in range {
                let acc = ds.data + b * c
                for p in 0..<positions {
                    let g = dy.data + (b * positions + p) * c, xv = x.data + (b * positions + p) * c
                    for j in 0..<c { acc[j] += g[j] * xv[j] }
                }
            }
        }
        return (dx, ds)
    }

    /// `a + b` into a new tensor.
    public static func sum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let y = a.copy()
        addInPlace(y, b)
        return y
    }
}
