/// Selection of elements by an index list per axis: output element `[i0, i1, ...]` is input
/// element `[indices[0][i0], indices[1][i1], ...]`, or `fill` where any of those is -1. One
/// engine for slicing with steps, splitting, gathering along an axis and padding (constant,
/// reflect, edge: the caller computes which source index each output position reads).
public enum IndexSelect {
    public static func select(_ x: Tensor, indices: [[Int]], fill: Float = 0) -> Tensor {
        precondition(indices.count == x.rank, "one index list per axis")
        let outShape = indices.map(\.count)
        let out = Tensor(uninitializedShape: outShape)
        let strides = rowMajorStrides(x.shape)
        for (k, list) in indices.enumerated() {
            precondition(list.allSatisfy { $0 >= -1 && $0 < x.shape[k] }, "index out of range on axis \(k)")
        }
        guard out.count > 0 else { return out }
        let rank = x.rank
        guard rank > 0 else { out.data[0] = x.data[0]; return out }
        // Offsets per axis (-1 marks fill), then an odometer over the outer axes.
        let offsets = indices.enumerated().map { k, list in list.map { $0 < 0 ? Int.min : $0 * strides[k] } }
        let inner = offsets[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var o = 0
        let src = x.data, dst = out.data
        while o < out.count {
            var base = 0, filled = false
            for k in 0..<(rank - 1) {
                let v = offsets[k][index[k]]
                if v == Int.min { filled = true; break }
                base += v
            }
            for v in inner {
                dst[o] = filled || v == Int.min ? fill : src[base + v]
                o += 1
            }
            var k = rank - 2
            while k >= 0 {
                index[k] += 1
                if index[k] < outShape[k] { break }
                index[k] = 0
                k -= 1
            }
        }
        return out
    }

    /// The parts of `x` joined along `axis` (their other dimensions equal).
    public static func concatenate(_ parts: [Tensor], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "nothing to concatenate")
        let first = parts[0].shape
        for p in parts {
            precondition(p.rank == first.count && (0..<first.count).allSatisfy { $0 == axis || p.shape[$0] == first[$0] },
                         "concatenating \(p.shape) with \(first) along \(axis)")
        }
        var outShape = first
        outShape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        let out = Tensor(uninitializedShape: outShape)
        let outer = first[..<axis].reduce(1, *)
        let inner = first[(axis + 1)...].reduce(1, *)
        let row = outShape[axis] * inner
        var at = 0
        for p in parts {
            let width = p.shape[axis] * inner
            for r in 0..<outer { (out.data + r * row + at).update(from: p.data + r * width, count: width) }
            at += width
        }
        return out
    }
}
