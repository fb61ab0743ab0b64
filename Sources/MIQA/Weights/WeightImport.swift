import Foundation
import Checkpoints

/// `miqa weights import` and `miqa weights inspect`: checking foreign checkpoints and installing them.
public enum WeightImport {
    /// Checks every key and shape of `file` against `model`, converts it to safetensors and
    /// installs it as `miqa_<model>_<task>_<label>` (classifiers: `<model>`). Returns the card.
    /// `source` overrides the card's source (default: the file's name). Installing holds the
    /// model's lock (`ModelStore.save`).
    @discardableResult
    public static func importCheckpoint(_ file: URL, model: String, task: String?, label: String?,
                                        store: ModelStore = ModelStore(), half: Bool = false,
                                        source: String? = nil) throws -> ModelCard {
        let dict = try CheckpointReader.read(file)
        let (name, config) = try ModelResolver.configuration(for: dict, model: model, file: file)
        do {
            _ = try ModelRegistry.build(config, weights: WeightLoading.tensors(from: dict))
        } catch let error as WeightError {
            throw ModelNotAvailable(description: "\(file.path) does not fit \(name): \(error)")
        }
        // A 1000-way head is an ImageNet classifier (a downstream machine), stored by its plain name.
        let isClassifier = config.numOutputs == 1000
        var card = ModelCard(name: isClassifier ? name : ModelCard.storeName(model: name, task: task, label: label),
                             model: name, task: isClassifier ? nil : task, label: isClassifier ? nil : label, config: config,
                             source: source ?? file.lastPathComponent, sourceSHA256: try SHA256.hex(fileAt: file))
        // Keep only the tensors the model uses (drops BatchNorm counters and unused copies).
        var kept = TensorDict()
        let unused: Set<String> = ["base_model.pos_embed"]
        for (key, t) in dict.entries where !key.hasSuffix("num_batches_tracked") && !unused.contains(key) { kept.set(key, t) }
        card.notes["imported_from"] = file.path
        // The lock spans the install and the read-back, so the card returned is the one installed.
        let dir = store.directory(for: card.name)
        try AtomicFile.makeDirectory(dir)
        let lock = try DirectoryLock.acquire(dir)
        defer { lock.release() }
        _ = try store.save(kept, card: card, as: half ? .float16 : .float32)
        return try store.card(named: card.name)
    }

    /// The container format by its magic bytes (the reader has already validated the file).
    static func formatName(_ file: URL) -> String {
        guard let handle = try? FileHandle(forReadingFrom: file), let head = try? handle.read(upToCount: 2) else { return "?" }
        try? handle.close()
        if head.starts(with: [0x50, 0x4B]) { return "PyTorch zip checkpoint" }
        if head.first == 0x80 { return "PyTorch legacy (pre-1.6) checkpoint" }
        return "safetensors"
    }

    /// A human-readable listing of a weights file: format, tensors (shape, dtype), and the
    /// architecture it fits, if any.
    public static func inspect(_ file: URL, limit: Int = 40) throws -> String {
        let contents = try CheckpointReader.readContents(file)
        let dict = contents.tensors
        var lines: [String] = []
        let format = formatName(file)
        let total = dict.entries.reduce(0) { $0 + $1.tensor.elementCount }
        lines.append("\(file.lastPathComponent): \(format), \(dict.count) tensors, \(total) values")
        var byType: [String: Int] = [:]
        for (_, t) in dict.entries { byType[t.sourceType.rawValue, default: 0] += 1 }
        lines.append("dtypes: " + byType.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", "))
        for (name, t) in dict.entries.prefix(limit) {
            lines.append("  \(name)  \(t.shape)  \(t.sourceType.rawValue)")
        }
        if dict.count > limit { lines.append("  ... \(dict.count - limit) more (use --all)") }
        if !contents.ignoredGlobals.isEmpty {
            lines.append("ignored (not weights; never imported or run): " + contents.ignoredGlobals.joined(separator: ", "))
        }
        if let (name, config) = ArchitectureRecognition.recognize(dict) {
            lines.append("architecture: \(name) (\(config.numOutputs) output\(config.numOutputs == 1 ? "" : "s")); every key and shape fits")
        } else {
            let guesses = ArchitectureRecognition.candidates(dict)
            lines.append("architecture: not recognised" + (guesses.isEmpty ? "" : " (keys look like \(guesses.joined(separator: " or ")), but shapes or keys do not fit)"))
        }
        return lines.joined(separator: "\n")
    }
}
