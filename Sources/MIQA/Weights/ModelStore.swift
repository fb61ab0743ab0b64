import Foundation
import Checkpoints
import Tensor

/// Where imported and trained models live: `$MIQA_HOME/models/<name>/{model.safetensors, model.json}`,
/// `$MIQA_HOME` defaulting to `~/.miqa`.
public struct ModelStore {
    public let root: URL

    public init(root: URL? = nil) {
        if let root {
            self.root = root
        } else if let env = ProcessInfo.processInfo.environment["MIQA_HOME"], !env.isEmpty {
            self.root = URL(fileURLWithPath: env)
        } else {
            self.root = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".miqa")
        }
    }

    public func directory(for name: String) -> URL { root.appendingPathComponent("models").appendingPathComponent(name) }
    public func weightsURL(for name: String) -> URL { directory(for: name).appendingPathComponent("model.safetensors") }
    public func cardURL(for name: String) -> URL { directory(for: name).appendingPathComponent("model.json") }

    /// Whether a model of that name is installed.
    public func contains(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: weightsURL(for: name).path) && FileManager.default.fileExists(atPath: cardURL(for: name).path)
    }

    /// Installed model names, sorted.
    public func list() -> [String] {
        let dir = root.appendingPathComponent("models")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter(contains).sorted()
    }

    /// Writes weights (fp32 or fp16) and card atomically: a crash leaves either the old model or the new one.
    public func save(_ weights: TensorDict, card: ModelCard, as type: StorageType = .float32) throws -> URL {
        let dir = directory(for: card.name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try SafetensorsWriter.write(weights, metadata: ["format": "pt", "miqa_model": card.model], to: weightsURL(for: card.name), as: type)
        var card = card
        card.weightsSHA256 = try SHA256.hex(fileAt: weightsURL(for: card.name))
        try ModelStore.writeCard(card, to: cardURL(for: card.name))
        return dir
    }

    /// Reads an installed model's card.
    public func card(named name: String) throws -> ModelCard {
        try JSONDecoder().decode(ModelCard.self, from: Data(contentsOf: cardURL(for: name)))
    }

    static func writeCard(_ card: ModelCard, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(card).write(to: url, options: .atomic)
    }

    /// Loads an installed model, ready to run.
    public func load(_ name: String) throws -> Predictor {
        let card = try card(named: name)
        let weights = try WeightLoading.tensors(from: weightsURL(for: name))
        return Predictor(model: try ModelRegistry.build(card.config, weights: weights), card: card)
    }
}
