/// Row-major strides of a shape: element `[i0, i1, ...]` sits at `sum(i_k * strides[k])`.
public func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var s = 1
    for k in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[k] = s
        s *= shape[k]
    }
    return strides
}

/// Calls `body(outIndex, sourceOffset)` for every element of an output of `shape`, where the
/// source offset advances by `sourceStrides[k]` along output axis `k` (0 = broadcast). Walks
/// the innermost axis in a tight loop; the general engine of transpose and broadcasting.
@inline(__always)
func forEachStrided(_ shape: [Int], _ sourceStrides: [Int], _ body: (Int, Int) -> Void) {
    let rank = shape.count
    let total = shape.reduce(1, *)
    guard total > 0 else { return }
    guard rank > 0 else { body(0, 0); return }
    let inner = shape[rank - 1], innerStride = sourceStrides[rank - 1]
    var index = [Int](repeating: 0, count: rank)
    var base = 0
    var out = 0
    while out < total {
        var src = base
        for _ in 0..<inner {
            body(out, src)
            out += 1
            src += innerStride
        }
        // Advance the outer odometer.
        var k = rank - 2
        while k >= 0 {
            index[k] += 1
            base += sourceStrides[k]
            if index[k] < shape[k] { break }
            base -= sourceStrides[k] * shape[k]
            index[k] = 0
            k -= 1
        }
    }
}

/// `forEachStrided` with two sources walked together (binary broadcasting).
@inline(__always)
func forEachStrided2(_ shape: [Int], _ aStrides: [Int], _ bStrides: [Int], _ body: (Int, Int, Int) -> Void) {
    let rank = shape.count
    let total = shape.reduce(1, *)
    guard total > 0 else { return }
    guard rank > 0 else { body(0, 0, 0); return }
    let inner = shape[rank - 1], ia = aStrides[rank - 1], ib = bStrides[rank - 1]
    var index = [Int](repeating: 0, count: rank)
    var baseA = 0, baseB = 0, out = 0
    while out < total {
        var a = baseA, b = baseB
        for _ in 0..<inner {
            body(out, a, b)
            out += 1; a += ia; b += ib
        }
        var k = rank - 2
        while k >= 0 {
            index[k] += 1
            baseA += aStrides[k]; baseB += bStrides[k]
            if index[k] < shape[k] { break }
            baseA -= aStrides[k] * shape[k]; baseB -= bStrides[k] * shape[k]
            index[k] = 0
            k -= 1
        }
    }
}
