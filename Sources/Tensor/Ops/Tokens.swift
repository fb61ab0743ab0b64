import Foundation

/// Token-sequence kernels of vision transformers, shared by inference and by the differentiable
/// ops in `Autodiff/TokenOps.swift` (which add only the backward passes).
public enum Tokens {
    /// `[prefix tokens..., patch tokens] + position`. Each prefix is per sample (`[B, D]` or
    /// `[B, 1, D]`) or shared (`D` elements, e.g. a class token `[1, 1, D]`, broadcast over the
    /// batch); `patches` is `[B, P, D]`; `position` holds `(prefix.count + P) * D` elements
    /// (broadcast over the batch). Returns `[B, N, D]`.
    public static func assemble(prefix: [Tensor], patches: Tensor, position: Tensor) -> Tensor {
        let b = patches.shape[0], p = patches.shape[1], d = patches.shape[2]
        let n = prefix.count + p
        precondition(position.count == n * d, "position embedding \(position.shape) for \(n) tokens of \(d)")
        let out = Tensor(uninitializedShape: [b, n, d])
        parallelFor(b) { range in
            for s in range {
                let dst = out.data + s * n * d
                for (i, t) in prefix.enumerated() {
                    let src = t.count == d ? t.data : t.data + s * d
                    (dst + i * d).update(from: src, count: d)
                }
                (dst + prefix.count * d).update(from: patches.data + s * p * d, count: p * d)
                for j in 0..<(n * d) { dst[j] += position.data[j] }
            }
        }
        withExtendedLifetime((prefix, patches, position)) {}
        return out
    }

    /// Token `index` of every sample: `[B, N, D]` -> `[B, D]`.
    public static func select(_ x: Tensor, index: Int) -> Tensor {
        let b = x.shape[0], n = x.shape[1], d = x.shape[2]
        let out = Tensor(uninitializedShape: [b, d])
        for s in 0..<b { (out.data + s * d).update(from: x.data + (s * n + index) * d, count: d) }
        withExtendedLifetime(x) {}
        return out
    }

    /// Concatenation along the last dimension of `[B, D_i]` matrices.
    public static func concatFeatures(_ parts: [Tensor]) -> Tensor {
        let b = parts[0].shape[0]
        let widths = parts.map { $0.count / b }
        let total = widths.reduce(0, +)
        let out = Tensor(uninitializedShape: [b, total])
        for s in 0..<b {
            var offset = 0
            for (part, w) in zip(parts, widths) {
                (out.data + s * total + offset).update(from: part.data + s * w, count: w)
                offset += w
            }
        }
        withExtendedLifetime(parts) {}
        return out
    }

    /// Patch tokens from a patch-embedding convolution's output: `[B, H', W', D]` in
    /// channels-last memory already is the sequence `[B, H' * W', D]`; only the shape changes.
    public static func fromPatchGrid(_ y: Tensor) -> Tensor {
        y.reshapedInPlace([y.shape[0], y.shape[1] * y.shape[2], y.shape[3]])
    }
}
