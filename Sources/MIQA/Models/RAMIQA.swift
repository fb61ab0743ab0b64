import Foundation
import Tensor

/// The paper's region-aware predictor. A frozen region encoder summarises a 288x288 view into
/// one vector, projected (`mask_projector`: Linear -> LayerNorm(eps 1e-5) -> GELU) into a *region
/// token*. The main ViT-S/16 reads `[region, CLS, patches]` with its own 198-position embedding
/// (top-level `pos_embed`), and the head maps `concat(CLS, region)` through
/// `Linear(2D, D) -> GELU -> Dropout -> Linear(D, 1)` (`quality_regressor.0` / `.3`).
///
/// `base_model.pos_embed` is stored in the original checkpoints but not used by the forward pass.
/// In training the region encoder stays frozen and runs in eval mode: its drop-path is off. (The
/// original left the encoder in train mode by accident, so its drop-path of 0.1 was active; we
/// do not reproduce that.) The regressor's dropout is the original's 0.2 unless
/// `Regularisation.headDropout` says otherwise.
enum RAMIQA: ArchitectureDefinition {
    /// `views[0]`: the 224 main view (mean = std = 0.5); `views[1]`: the 288 region view (ImageNet statistics).
    static func configuration(_ config: ArchitectureConfig) -> ArchitectureConfig.RAMIQAConfig? {
        if case let .raMIQA(c) = config { return c } else { return nil }
    }

    static func define<B: NetworkBuilder>(_ config: ArchitectureConfig.RAMIQAConfig, _ b: B,
                                          _ regularisation: Regularisation) throws -> ([Tensor], B.Context) -> B.Value {
        let root = ParameterScope.root
        let trunk = ViTTrunk(config.main, b, root["base_model"])
        let rc = config.region
        let region = b.frozen { inference in RegionEncoder(rc, inference, root["mask_encoder"]).callAsFunction }
        b.unused(root["base_model"]["pos_embed"], export: true)
        let d = trunk.dim
        let grid = config.main.imageSize / config.main.patchSize
        let projector = b.linear(root["mask_projector"][0], in: rc.embedDim, out: d)
        let projectorNorm = b.layerNorm(root["mask_projector"][1], dim: d, eps: 1e-5, activation: .gelu)
        let position = b.parameter(root["pos_embed"], shape: [1, 2 + grid * grid, d])
        let hidden = b.linear(root["quality_regressor"][0], in: 2 * d, out: d, activation: .gelu)
        let output = b.linear(root["quality_regressor"][3], in: d, out: config.main.numOutputs)
        let headDropout = regularisation.headDropout ?? 0.2
        return { views, c in
            let regionToken = projectorNorm(projector(region(views[1], c), c), c)
            let tokens = b.assembleTokens(prefix: [regionToken, trunk.classToken], patches: trunk.patches(b, views[0], c),
                                          position: position, c)
            let x = trunk.encode(tokens, c)
            // CLS (position 1) first, then the region token (position 0).
            let pooled = b.concatFeatures([b.selectToken(x, index: 1, c), b.selectToken(x, index: 0, c)], c)
            return output(b.dropout(hidden(pooled, c), p: headDropout, c), c)
        }
    }
}
