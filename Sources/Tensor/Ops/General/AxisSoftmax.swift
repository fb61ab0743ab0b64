import Foundation

extension Softmax {
    /// Softmax of `x` along `axis` as a new tensor (ONNX opset 13 `Softmax`), max-subtracted for
    /// stability; the last axis goes to oneDNN.
    public static func along(_ x: Tensor, axis: Int) -> Tensor {
        if axis == x.rank - 1 {
            let out = x.copy()
            inPlace(out)
            return out
        }
        let outer = x.shape[..<axis].reduce(1, *), n = x.shape[axis], inner = x.shape[(axis + 1)...].reduce(1, *)
        let out = Tensor(uninitializedShape: x.shape)
        let s = x.data, d = out.data
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * n * inner + i
                var m = -Float.infinity
                for k in 0..<n { m = Swift.max(m, s[base + k * inner]) }
                var sum: Float = 0
                for k in 0..<n { let e = Foundation.exp(s[base + k * inner] - m); d[base + k * inner] = e; sum += e }
                for k in 0..<n { d[base + k * inner] /= sum }
            }
        }
        return out
    }
}
