import Foundation
import Tensor

/// RA-MIQA for training. The region encoder (`mask_encoder.*`) is frozen and runs as the
/// inference `RegionEncoder`, i.e. in eval mode: its drop-path is OFF. (The original left the
/// encoder in train mode by accident, so its drop-path of 0.1 was active; we do not reproduce
/// that.) Everything else trains: the main ViT (`base_model.*`), `mask_projector`, the top-level
/// `pos_embed` and `quality_regressor` (whose Dropout, 0.2 in the original, is `headDropout`).
final class TrainableRAMIQA: TrainableNetwork, TrainableModel {
    private var trunk: TrainViTTrunk!
    private var region: RegionEncoder!
    private var projector: TrainLinear!
    private var projectorNorm: TrainLayerNorm!
    private var position: Variable!
    private var hidden: TrainLinear!
    private var output: TrainLinear!
    let headDropout: Float

    init(_ config: ArchitectureConfig, _ store: ParameterStore, weights: [String: Tensor], headDropout: Float) throws {
        self.headDropout = headDropout
        super.init(config: config, store: store)
        trunk = try TrainViTTrunk(self, config, prefix: "base_model.")
        let rc = try config.require(config.region, "region")
        region = RegionEncoder(rc, store, prefix: "mask_encoder.")
        frozen = weights.filter { $0.key.hasPrefix("mask_encoder.") || $0.key == "base_model.pos_embed" }
        store.ignore("base_model.pos_embed")
        let d = trunk.dim
        let grid = try config.require(config.imageSize, "image_size") / config.require(config.patchSize, "patch_size")
        projector = TrainLinear(self, "mask_projector.0", in: rc.embedDim, out: d)
        projectorNorm = TrainLayerNorm(self, "mask_projector.1", dim: d, eps: 1e-5)
        position = parameter("pos_embed", [1, 2 + grid * grid, d])
        hidden = TrainLinear(self, "quality_regressor.0", in: 2 * d, out: d)
        output = TrainLinear(self, "quality_regressor.3", in: d, out: config.numOutputs)
    }

    /// `views[0]`: the 224 main view; `views[1]`: the 288 region view.
    func forward(_ views: [Tensor], context c: ForwardContext) -> Variable {
        let regionToken = projectorNorm(projector(Variable(region(views[1])), c), c).apply(.gelu, c)
        let tokens = Differentiable.assembleTokens(prefix: [regionToken, trunk.classToken], patches: trunk.patches(views[0], c),
                                                   position: position, tape: c.tape)
        let x = trunk.encode(tokens, c)
        let pooled = Differentiable.concatFeatures([Differentiable.selectToken(x, index: 1, tape: c.tape),
                                                    Differentiable.selectToken(x, index: 0, tape: c.tape)], tape: c.tape)
        var h = hidden(pooled, c).apply(.gelu, c)
        if c.training { h = Differentiable.dropout(h, p: headDropout, generator: &c.dropout, tape: c.tape) }
        return output(h, c)
    }
}
