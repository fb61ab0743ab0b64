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
    /// The graph of a machine installed as ONNX (a segmenter), in place of `model.safetensors`.
    public func onnxURL(for name: String) -> URL { directory(for: name).appendingPathComponent(ModelFiles.onnxName) }

    /// Whether a model of that name is installed (its card and its weights or ONNX graph).
    public func contains(_ name: String) -> Bool {
        let fm = FileManager.default
        return fm.fileExists(atPath: cardURL(for: name).path)
            && (fm.fileExists(atPath: weightsURL(for: name).path) || fm.fileExists(atPath: onnxURL(for: name).path))
    }

    /// Installed model names, sorted.
    public func list() -> [String] {
        let dir = root.appendingPathComponent("models")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter(contains).sorted()
    }

    /// Installs weights (fp32 or fp16) and card through `ModelFiles`, holding the model's lock
    /// (`models/<name>/.miqa.lock`) so that two imports of one name never mix one's weights with
    /// the other's card: the second waits. A full disk leaves the previous model (if any) as it
    /// was and no temporary behind.
    public func save(_ weights: TensorDict, card: ModelCard, as type: StorageType = .float32) throws -> URL {
        let dir = directory(for: card.name)
        try AtomicFile.makeDirectory(dir)
        let lock = try DirectoryLock.acquire(dir)
        defer { lock.release() }
        try ModelFiles.install(weights, metadata: ["format": "pt", "miqa_model": card.model], card: card, into: dir, as: type)
        return dir
    }

    /// Installs an ONNX graph (`model.onnx`) with its card, as `save` installs weights: under
    /// the model's lock, the card's `weights_sha256` naming the graph file.
    public func saveONNX(_ graph: URL, card: ModelCard) throws -> URL {
        let dir = directory(for: card.name)
        try AtomicFile.makeDirectory(dir)
        let lock = try DirectoryLock.acquire(dir)
        defer { lock.release() }
        try ModelFiles.installFile(graph, as: ModelFiles.onnxName, card: card, into: dir)
        return dir
    }

    /// Reads an installed model's card.
    public func card(named name: String) throws -> ModelCard {
        let url = cardURL(for: name)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelNotAvailable(description: "\(url.path): cannot read: \(AtomicFile.reason(error))")
        }
        do { return try JSONDecoder().decode(ModelCard.self, from: data) } catch {
            throw ModelNotAvailable(description: "\(url.path): not a valid model card (\(error)); re-import the model")
        }
    }

    /// Loads an installed model, ready to run, after checking its weights against the SHA-256 in
    /// its card (a truncated, corrupted or half-replaced file is refused, not run).
    public func load(_ name: String) throws -> Predictor {
        let card = try card(named: name)
        try card.verifyWeights(at: weightsURL(for: name))
        let weights = try WeightLoading.tensors(from: weightsURL(for: name))
        return Predictor(model: try ModelRegistry.build(card.config, weights: weights), card: card)
    }
}
