import Foundation

/// The predictors that ship inside the toolkit (`Sources/MIQA/Resources/DefaultModel`): what
/// `miqa score` uses when no model is named. The cls/composite default sits at the folder's top,
/// the det/composite default in its `det/` sub-folder. Built by `tools/default_model/build.sh`.
public enum DefaultModel {
    /// The tasks a default may exist for, and the sub-folder each lives in.
    static let folders = ["cls": "", "det": "det"]

    /// The folder of the cls default (`model.safetensors` and `model.json`), if this build carries it.
    /// `MIQA_DEFAULT_MODEL` (a folder) overrides it, e.g. for a binary copied away from its bundle.
    public static var directory: URL? { directory(task: "cls") }

    /// The folder of `task`'s default, if this build carries one. With `MIQA_DEFAULT_MODEL`, the
    /// same layout under that folder.
    public static func directory(task: String) -> URL? {
        guard let sub = folders[task] else { return nil }
        let base: URL
        if let env = ProcessInfo.processInfo.environment["MIQA_DEFAULT_MODEL"], !env.isEmpty {
            base = URL(fileURLWithPath: env)
        } else {
            guard let url = Bundle.module.url(forResource: "DefaultModel", withExtension: nil) else { return nil }
            base = url
        }
        let dir = sub.isEmpty ? base : base.appendingPathComponent(sub)
        return FileManager.default.fileExists(atPath: dir.appendingPathComponent("model.safetensors").path) ? dir : nil
    }

    /// The tasks this build carries a default for.
    public static var tasks: [String] { folders.keys.sorted().filter { directory(task: $0) != nil } }

    /// Loads the cls default predictor, or nil when this build has none.
    public static func load() throws -> Predictor? { try load(task: "cls") }

    /// Loads `task`'s default predictor, or nil when this build has none.
    public static func load(task: String) throws -> Predictor? {
        guard let dir = directory(task: task) else { return nil }
        let card = try JSONDecoder().decode(ModelCard.self, from: Data(contentsOf: dir.appendingPathComponent("model.json")))
        // Checked like an installed model: a bundle or MIQA_DEFAULT_MODEL folder with mismatched files is refused.
        try card.verifyWeights(at: dir.appendingPathComponent("model.safetensors"))
        let weights = try WeightLoading.tensors(from: dir.appendingPathComponent("model.safetensors"))
        return Predictor(model: try ModelRegistry.build(card.config, weights: weights), card: card)
    }
}
