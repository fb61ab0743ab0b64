/// Element-wise binary arithmetic with numpy broadcasting (ONNX's multidirectional broadcast).
public enum Broadcast {
    public enum Operation: Sendable {
        case add, subtract, multiply, divide
    }

    /// The broadcast shape of `a` and `b`, or nil when they do not broadcast.
    public static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for k in 0..<rank {
            let da = k < rank - a.count ? 1 : a[k - (rank - a.count)]
            let db = k < rank - b.count ? 1 : b[k - (rank - b.count)]
            guard da == db || da == 1 || db == 1 else { return nil }
            out[k] = da == 1 ? db : da
        }
        return out
    }

    /// The strides that read `shape` as if it had `target`'s shape (0 along broadcast axes).
    static func strides(of shape: [Int], broadcastTo target: [Int]) -> [Int] {
        let own = rowMajorStrides(shape)
        let offset = target.count - shape.count
        return (0..<target.count).map { k in
            k < offset || shape[k - offset] == 1 ? 0 : own[k - offset]
        }
    }

    /// `a op b`, broadcast; the caller has checked `shape(a.shape, b.shape)` is defined.
    public static func apply(_ op: Operation, _ a: Tensor, _ b: Tensor) -> Tensor {
        guard let outShape = shape(a.shape, b.shape) else { preconditionFailure("\(a.shape) and \(b.shape) do not broadcast") }
        let out = Tensor(uninitializedShape: outShape)
        let pa = a.data, pb = b.data, po = out.data
        if a.shape == b.shape {
            let n = out.count
            switch op {
            case .add: for i in 0..<n { po[i] = pa[i] + pb[i] }
            case .subtract: for i in 0..<n { po[i] = pa[i] - pb[i] }
            case .multiply: for i in 0..<n { po[i] = pa[i] * pb[i] }
            case .divide: for i in 0..<n { po[i] = pa[i] / pb[i] }
            }
            return out
        }
        let sa = strides(of: a.shape, broadcastTo: outShape), sb = strides(of: b.shape, broadcastTo: outShape)
        switch op {
        case .add: forEachStrided2(outShape, sa, sb) { o, i, j in po[o] = pa[i] + pb[j] }
        case .subtract: forEachStrided2(outShape, sa, sb) { o, i, j in po[o] = pa[i] - pb[j] }
        case .multiply: forEachStrided2(outShape, sa, sb) { o, i, j in po[o] = pa[i] * pb[j] }
        case .divide: forEachStrided2(outShape, sa, sb) { o, i, j in po[o] = pa[i] / pb[j] }
        }
        return out
    }
}
