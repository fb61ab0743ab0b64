import Foundation
import Checkpoints

/// A model could not be found or loaded; the message says what to run to fix it.
public struct ModelNotAvailable: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// Turns the user's `--model/--task/--label/--weights` into a loaded predictor.
public enum ModelResolver {
    /// - `weights` given: that file (PyTorch checkpoint or safetensors), as architecture `model`
    ///   (or the architecture recognised from its keys when `model` is nil);
    /// - else the installed `miqa_<model>_<task>_<label>` (or plain `<model>` for classifiers);
    /// - else an error naming the file to import and the command that imports it.
    public static func resolve(model: String?, task: String, label: String, weights: URL?,
                               store: ModelStore = ModelStore()) throws -> Predictor {
        if let weights {
            return try load(file: weights, model: model, task: task, label: label)
        }
        guard let model else {
            // The embedded defaults are composite predictors (cls, and det when built); others need a named model.
            if label == "composite", let predictor = try DefaultModel.load(task: task) { return predictor }
            let installed = store.list()
            let carried = DefaultModel.tasks
            throw ModelNotAvailable(description: """
                no model given, and the built-in defaults cover --label composite for \
                \(carried.isEmpty ? "no task (this build carries none)" : "--task \(carried.joined(separator: ", "))"), not \(task)/\(label). Name one with --model \
                (\(ModelRegistry.names.joined(separator: ", "))) and import its weights first, e.g.
                  miqa weights import miqa_ra_miqa_\(task)_\(label)_metric.pth.tar --model ra_miqa --task \(task) --label \(label)
                \(installed.isEmpty ? "" : "Installed models: \(installed.joined(separator: ", "))")
                """)
        }
        guard let canonical = ModelRegistry.canonicalName(model) else {
            throw ModelNotAvailable(description: "unknown model '\(model)'; known: \(ModelRegistry.names.joined(separator: ", "))")
        }
        // A MIQA predictor of that architecture, task and label; for the ImageNet classifiers'
        // names (EfficientNet-Lite, MobileNetV2) also the plain classifier (`miqa weights fetch`).
        let name = ModelCard.storeName(model: canonical, task: task, label: label)
        if store.contains(name) { return try store.load(name) }
        if ModelRegistry.isImageNetClassifier(canonical) {
            if store.contains(canonical) { return try store.load(canonical) }
            throw ModelNotAvailable(description: "\(canonical) is not installed in \(store.root.path); install the ImageNet classifier with: miqa weights fetch \(canonical)")
        }
        throw ModelNotAvailable(description: """
            model \(name) is not installed in \(store.root.path). Import the original's checkpoint \
            (\(name)_metric.pth.tar) with:
              miqa weights import \(name)_metric.pth.tar --model \(canonical) --task \(task) --label \(label)
            or pass a weights file directly with --weights FILE.
            """)
    }

    /// `resolve`, restricted to quality predictors (one output): the single check `miqa score`,
    /// `miqa evaluate` and `miqa video` share, so an ImageNet classifier (1000 outputs) is refused
    /// the same way everywhere instead of being scored by its first logit.
    public static func qualityPredictor(model: String?, task: String, label: String, weights: URL?,
                                        store: ModelStore = ModelStore()) throws -> Predictor {
        // `resolve` falls back from miqa_<classifier>_<task>_<label> to the plain ImageNet
        // classifier; for a quality score that fallback is never right, so say so before loading.
        if weights == nil, let model, let canonical = ModelRegistry.canonicalName(model), ModelRegistry.isImageNetClassifier(canonical) {
            let name = ModelCard.storeName(model: canonical, task: task, label: label)
            if !store.contains(name) {
                throw ModelNotAvailable(description: """
                    \(canonical) is an ImageNet classifier, not a MIQA quality predictor, and no predictor \(name) is \
                    installed in \(store.root.path). Omit --model to use the built-in default (an EfficientNet-Lite0 \
                    predictor for --task cls --label composite), or name a predictor (see `miqa weights list`).
                    """)
            }
        }
        let predictor = try resolve(model: model, task: task, label: label, weights: weights, store: store)
        let outputs = predictor.model.config.numOutputs
        guard outputs == 1 else {
            throw ModelNotAvailable(description: """
                \(predictor.card.name) has \(outputs) outputs: it is an ImageNet classifier, not a MIQA quality \
                predictor. Use `miqa classify` for its classes, or name a predictor (see `miqa weights list`).
                """)
        }
        return predictor
    }

    /// `resolve`, restricted to ImageNet classifiers (1000 outputs): `miqa classify` on a quality
    /// predictor would otherwise softmax a single output into "class 0 (tench), probability 1.0".
    public static func classifier(model: String?, weights: URL?, store: ModelStore = ModelStore()) throws -> Predictor {
        let predictor = try resolve(model: model, task: "cls", label: "composite", weights: weights, store: store)
        let outputs = predictor.model.config.numOutputs
        guard outputs == 1000 else {  // ImageNet-1k
            throw ModelNotAvailable(description: """
                \(weights?.path ?? predictor.card.name) has \(outputs) output\(outputs == 1 ? "" : "s"): \
                \(outputs == 1 ? "it is a MIQA quality predictor, not a classifier (score with `miqa score`)" : "not an ImageNet classifier (1000 classes)")
                """)
        }
        return predictor
    }

    /// Loads a weights file directly. Safetensors files written by us carry their card beside them.
    public static func load(file: URL, model: String?, task: String?, label: String?) throws -> Predictor {
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw ModelNotAvailable(description: "\(file.path): no such weights file")
        }
        let cardURL = file.deletingLastPathComponent().appendingPathComponent("model.json")
        if file.pathExtension == "safetensors", model == nil, let data = try? Data(contentsOf: cardURL),
           let card = try? JSONDecoder().decode(ModelCard.self, from: data) {
            // The card beside the file vouches for it only if its SHA-256 matches.
            try card.verifyWeights(at: file)
            return Predictor(model: try ModelRegistry.build(card.config, weights: WeightLoading.tensors(from: file)), card: card)
        }
        let dict = try CheckpointReader.read(file)
        let (name, config) = try configuration(for: dict, model: model, file: file)
        let weights = WeightLoading.tensors(from: dict)
        do {
            let built = try ModelRegistry.build(config, weights: weights)
            let card = ModelCard(name: ModelCard.storeName(model: name, task: task, label: label), model: name, task: task,
                                 label: label, config: config, source: file.lastPathComponent)
            return Predictor(model: built, card: card)
        } catch let error as WeightError {
            throw ModelNotAvailable(description: "\(file.path) does not fit \(name): \(error)")
        }
    }

    /// The architecture to build for a checkpoint: the named one (with the head size the file has),
    /// or the recognised one.
    static func configuration(for dict: TensorDict, model: String?, file: URL) throws -> (String, ArchitectureConfig) {
        if let model {
            guard let canonical = ModelRegistry.canonicalName(model), var config = ModelRegistry.config(named: canonical) else {
                throw ModelNotAvailable(description: "unknown model '\(model)'; known: \(ModelRegistry.names.joined(separator: ", "))")
            }
            if let outputs = ArchitectureRecognition.headOutputs(dict) { config.numOutputs = outputs }
            return (canonical, config)
        }
        guard let found = ArchitectureRecognition.recognize(dict) else {
            throw ModelNotAvailable(description: "\(file.path): not a checkpoint of a known architecture; name one with --model")
        }
        return found
    }
}
