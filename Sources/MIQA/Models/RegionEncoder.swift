import Foundation
import Tensor

/// RA-MIQA's frozen region encoder: an mmsegmentation ViT (SERE weights, ImageNet-S segmentation)
/// under `mask_encoder.*`, always run as inference. It returns the mean of its final-layer patch
/// tokens after the final LayerNorm (`ln1`), one vector per image.
///
/// Its position embedding is stored for its native grid (14x14 for 224/16); mmseg resizes the patch
/// part bicubically (align_corners=False) to the grid of the actual input (18x18 at 288) on every
/// forward. We resize once per grid size and keep it.
final class RegionEncoder {
    let dim: Int
    private let patchEmbed: InferenceBuilder.Layer
    private let classToken: Tensor
    private let nativePosition: Tensor
    private let nativeGrid: Int
    private let patch: Int
    private let layers: [InferenceBuilder.Layer]
    private let norm: InferenceBuilder.Layer
    /// Resized position embeddings by grid side, guarded by `lock`.
    private var resized: [Int: Tensor] = [:]
    private let lock = NSLock()

    init(_ c: ArchitectureConfig.RegionEncoderConfig, _ b: InferenceBuilder, _ s: ParameterScope) {
        dim = c.embedDim
        patch = c.patchSize
        nativeGrid = c.nativeGrid
        patchEmbed = b.conv(s["patch_embed.projection"], ConvGeometry(in: 3, out: dim, kernel: patch, stride: patch, padding: .symmetric(0)))
        classToken = b.parameter(s["cls_token"], shape: [1, 1, dim])
        nativePosition = b.parameter(s["pos_embed"], shape: [1, 1 + nativeGrid * nativeGrid, dim])
        layers = (0..<c.depth).map {
            TransformerBlock.define(b, s["layers"][$0], naming: .mmseg, dim: c.embedDim, heads: c.numHeads,
                                    hidden: Int(Double(c.embedDim) * c.mlpRatio), eps: 1e-6)
        }
        norm = b.layerNorm(s["ln1"], dim: dim, eps: 1e-6, activation: nil)
    }

    /// The position embedding for a `grid` x `grid` token layout: class position unchanged, patch
    /// positions resized bicubically from the native grid.
    private func position(grid: Int) -> Tensor {
        lock.lock(); defer { lock.unlock() }
        if grid == nativeGrid { return nativePosition }
        if let p = resized[grid] { return p }
        let patchPart = Tensor(uninitializedShape: [nativeGrid, nativeGrid, dim])
        patchPart.data.update(from: nativePosition.data + dim, count: nativeGrid * nativeGrid * dim)
        let scaled = Interpolate.bicubic(patchPart, toHeight: grid, width: grid)
        defer { withExtendedLifetime(scaled) {} }
        let p = Tensor(uninitializedShape: [1 + grid * grid, dim])
        p.data.update(from: nativePosition.data, count: dim)
        (p.data + dim).update(from: scaled.data, count: scaled.count)
        resized[grid] = p
        return p
    }

    /// `[B, S, S, 3]` (S a multiple of the patch size) -> `[B, D]`.
    func callAsFunction(_ image: Tensor) -> Tensor {
        precondition(image.shape[1] == image.shape[2] && image.shape[1] % patch == 0,
                     "region view must be square with a side divisible by \(patch), got \(image.shape)")
        let patches = Tokens.fromPatchGrid(patchEmbed(image, ()))
        var tokens = Tokens.assemble(prefix: [classToken], patches: patches, position: position(grid: image.shape[1] / patch))
        for layer in layers { tokens = layer(tokens, ()) }
        let normed = norm(tokens, ())
        defer { withExtendedLifetime(normed) {} }
        // Mean over the patch tokens only: mmseg drops the class token from its outputs.
        let b = normed.shape[0], n = normed.shape[1]
        let out = Tensor(zeros: [b, dim])
        for s in 0..<b {
            let dst = out.data + s * dim
            for t in 1..<n {
                let src = normed.data + (s * n + t) * dim
                for j in 0..<dim { dst[j] += src[j] }
            }
            for j in 0..<dim { dst[j] /= Float(n - 1) }
        }
        return out
    }
}
