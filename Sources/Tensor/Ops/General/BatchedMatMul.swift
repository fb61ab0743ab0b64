import COpenBLAS

/// numpy's `matmul`: 1-D operands promoted (and the added axis removed again), batch axes
/// broadcast; each matrix product is one OpenBLAS sgemm.
public enum BatchedMatMul {
    /// The result shape, or nil when the operands do not fit.
    public static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        guard !a.isEmpty, !b.isEmpty else { return nil }
        let a2 = a.count == 1 ? [1] + a : a, b2 = b.count == 1 ? b + [1] : b
        guard a2[a2.count - 1] == b2[b2.count - 2],
              let batch = Broadcast.shape(Array(a2.dropLast(2)), Array(b2.dropLast(2))) else { return nil }
        var out = batch + [a2[a2.count - 2], b2[b2.count - 1]]
        if a.count == 1 { out.remove(at: out.count - 2) }
        if b.count == 1 { out.removeLast() }
        return out
    }

    public static func apply(_ a: Tensor, _ b: Tensor) -> Tensor {
        guard let outShape = shape(a.shape, b.shape) else { preconditionFailure("matmul of \(a.shape) and \(b.shape)") }
        let a2 = a.rank == 1 ? [1] + a.shape : a.shape, b2 = b.rank == 1 ? b.shape + [1] : b.shape
        let m = a2[a2.count - 2], k = a2[a2.count - 1], n = b2[b2.count - 1]
        let batchA = Array(a2.dropLast(2)), batchB = Array(b2.dropLast(2))
        let batch = Broadcast.shape(batchA, batchB)!
        let out = Tensor(uninitializedShape: outShape)
        // Matrix offsets of each operand per output batch index (0 strides where broadcast).
        let sa = Broadcast.strides(of: batchA, broadcastTo: batch), sb = Broadcast.strides(of: batchB, broadcastTo: batch)
        var pairs: [(Int, Int)] = []
        forEachStrided2(batch, sa, sb) { _, i, j in pairs.append((i, j)) }
        for (o, (i, j)) in pairs.enumerated() {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                        a.data + i * m * k, Int32(k), b.data + j * k * n, Int32(n), 0, out.data + o * m * n, Int32(n))
        }
        return out
    }
}
