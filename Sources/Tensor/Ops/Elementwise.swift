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
