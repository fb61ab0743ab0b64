extension Layout {
    /// `[N, H, W, C]` -> `[N, C, H, W]`.
    public static func nhwcToNCHW(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4, "nhwcToNCHW expects rank 4, got \(x.shape)")
        return permuted(x, [0, 3, 1, 2])
    }

    /// The axes of `x` reordered: output axis `k` is input axis `permutation[k]` (numpy's
    /// `transpose(x, permutation)`).
    public static func permuted(_ x: Tensor, _ permutation: [Int]) -> Tensor {
        precondition(permutation.sorted() == Array(0..<x.rank), "permutation \(permutation) of rank \(x.rank)")
        let inStrides = rowMajorStrides(x.shape)
        let outShape = permutation.map { x.shape[$0] }
        let out = Tensor(uninitializedShape: outShape)
        let src = x.data, dst = out.data
        forEachStrided(outShape, permutation.map { inStrides[$0] }) { o, s in dst[o] = src[s] }
        return out
    }
}
