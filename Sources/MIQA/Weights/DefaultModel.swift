import Foundation

/// The predictor that ships inside the toolkit (`Sources/MIQA/Resources/DefaultModel`): what
/// `miqa score` uses when no model is named. Built by `tools/default_model/build.sh`.
public enum DefaultModel {
    /// The folder holding `model.safetensors` and `model.json`, if this build carries them.
    /// `MIQA_DEFAULT_MODEL` (a folder) overrides it, e.g. for a binary copied away from its bundle.
    public static var directory: URL? {
        if let env = ProcessInfo.processInfo.environment["MIQA_DEFAULT_MODEL"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        guard let url = Bundle.module.url(forResource: "DefaultModel", withExtension: nil) else { return nil }
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("model.safetensors").path) ? url : nil
    }

    /// Loads the default predictor, or nil when this build has none.
    public static func load() throws -> Predictor? {
        guard let dir = directory else { return nil }
        let card = try JSONDecoder().decode(ModelCard.self, from: Data(contentsOf: dir.appendingPathComponent("model.json")))
        // Checked like an installed model: a bundle or MIQA_DEFAULT_MODEL folder with mismatched files is refused.
        try card.verifyWeights(at: dir.appendingPathComponent("model.safetensors"))
        let weights = try WeightLoading.tensors(from: dir.appendingPathComponent("model.safetensors"))
        return Predictor(model: try ModelRegistry.build(card.config, weights: weights), card: card)
    }
}
