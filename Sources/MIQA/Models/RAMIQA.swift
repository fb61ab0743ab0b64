import Foundation
import Tensor

/// The paper's region-aware predictor. A frozen region encoder summarises a 288x288 view into
/// one vector, projected (`mask_projector`: Linear -> LayerNorm(eps 1e-5) -> GELU) into a *region
/// token*. The main ViT-S/16 reads `[region, CLS, patches]` with its own 198-position embedding
/// (top-level `pos_embed`), and the head maps `concat(CLS, region)` through
/// `Linear(2D, D) -> GELU -> Dropout -> Linear(D, 1)` (`quality_regressor.0` / `.3`).
///
/// `base_model.pos_embed` is stored in the original checkpoints but not used by the forward pass.
final class RAMIQA: Model {
    let config: ArchitectureConfig
    private let trunk: ViTTrunk
    private let region: RegionEncoder
    private let projector: LinearKernel
    private let projectorNorm: LayerNormKernel
    private let position: Tensor
    private let hidden: LinearKernel
    private let output: LinearKernel

    init(_ config: ArchitectureConfig, _ store: ParameterStore) throws {
        self.config = config
        trunk = try ViTTrunk(config, store, prefix: "base_model.")
        let rc = try config.require(config.region, "region")
        region = RegionEncoder(rc, store, prefix: "mask_encoder.")
        let d = trunk.dim
        let grid = try config.require(config.imageSize, "image_size") / config.require(config.patchSize, "patch_size")
        store.ignore("base_model.pos_embed")
        projector = LinearKernel(weight: store.take("mask_projector.0.weight", [d, rc.embedDim]),
                                 bias: store.take("mask_projector.0.bias", [d]))
        projectorNorm = LayerNormKernel(weight: store.take("mask_projector.1.weight", [d]),
                                        bias: store.take("mask_projector.1.bias", [d]), eps: 1e-5)
        position = store.take("pos_embed", [1, 2 + grid * grid, d])
        hidden = LinearKernel(weight: store.take("quality_regressor.0.weight", [d, 2 * d]),
                              bias: store.take("quality_regressor.0.bias", [d]), postOps: [.gelu])
        output = LinearKernel(weight: store.take("quality_regressor.3.weight", [config.numOutputs, d]),
                              bias: store.take("quality_regressor.3.bias", [config.numOutputs]))
    }

    /// `views[0]`: the 224 main view (mean = std = 0.5); `views[1]`: the 288 region view (ImageNet statistics).
    func forward(_ views: [Tensor]) -> Tensor {
        let regionToken = projectorNorm(projector(region(views[1])))
        Activation.gelu(regionToken)
        let patches = Tokens.embed(trunk.patchEmbed, views[0])
        let tokens = Tokens.assemble(prefix: [regionToken, trunk.classToken], patches: patches, position: position)
        let x = trunk.encode(tokens)
        // Raw pointer reads below: keep `x` alive until they are done.
        defer { withExtendedLifetime(x) {} }
        let b = x.shape[0], d = trunk.dim
        let pooled = Tensor(uninitializedShape: [b, 2 * d])
        for s in 0..<b {
            let row = x.data + s * x.shape[1] * d
            (pooled.data + s * 2 * d).update(from: row + d, count: d)      // CLS (position 1) first
            (pooled.data + s * 2 * d + d).update(from: row, count: d)      // then the region token (position 0)
        }
        return output(hidden(pooled))
    }
}
