import Foundation

/// The JSON description stored beside a model's safetensors weights: what the model is, what it
/// was trained to predict, how its inputs are made, and where its weights came from.
public struct ModelCard: Codable, Equatable, Sendable {
    /// Card format version, bumped on incompatible changes.
    public var formatVersion = 1
    /// Store name, e.g. `miqa_ra_miqa_cls_composite`.
    public var name: String
    /// The architecture's canonical name (`ra_miqa`, `resnet50`, ...).
    public var model: String
    /// `cls`, `det` or `ins` (nil for plain classifiers).
    public var task: String?
    /// `composite`, `consistency` or `accuracy` (nil for plain classifiers).
    public var label: String?
    public var config: ArchitectureConfig
    public var views: [InputView]
    /// Where the weights came from (file name, package), and its SHA-256.
    public var source: String
    public var sourceSHA256: String?
    /// SHA-256 of the stored safetensors file.
    public var weightsSHA256: String?
    public var created: String
    /// Free-form notes: training data, recipe, metrics.
    public var notes: [String: String] = [:]

    public init(name: String, model: String, task: String?, label: String?, config: ArchitectureConfig,
                source: String, sourceSHA256: String? = nil) {
        self.name = name
        self.model = model
        self.task = task
        self.label = label
        self.config = config
        self.views = InputView.views(for: config)
        self.source = source
        self.sourceSHA256 = sourceSHA256
        self.created = ISO8601DateFormatter().string(from: Date())
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", name, model, task, label, config, views, source
        case sourceSHA256 = "source_sha256", weightsSHA256 = "weights_sha256", created, notes
    }

    /// What the model is: `detector` (Darknet, MTCNN), `segmenter` (an ONNX graph installed as
    /// one), `classifier` (an ImageNet head) or `predictor` (MIQA).
    public var kind: String {
        if config.architecture == "darknet" || config.architecture == FaceDetectorFetch.architecture { return "detector" }
        if config.architecture == "onnx" { return notes["kind"] ?? "onnx" }
        return config.numOutputs == 1000 ? "classifier" : "predictor"
    }

    /// Checks that `url` (the card's `model.safetensors`) is the file the card was written for.
    /// Hashing costs about a read of the file (tens of ms for a 20 MB model), paid once per load.
    /// Cards without a checksum (none are written so) are accepted as they are.
    /// - Throws: `ModelNotAvailable` naming the file, on a mismatch or when it cannot be read.
    public func verifyWeights(at url: URL) throws {
        guard let expected = weightsSHA256 else { return }
        let actual: String
        do { actual = try SHA256.hex(fileAt: url) } catch {
            throw ModelNotAvailable(description: "\(url.path): cannot read: \(AtomicFile.reason(error))")
        }
        guard actual == expected.lowercased() else {
            throw ModelNotAvailable(description: "\(url.path) does not match the SHA-256 in model.json; re-import it")
        }
    }

    /// The store name the original uses for its checkpoints: `miqa_<model>_<task>_<label>`.
    public static func storeName(model: String, task: String?, label: String?) -> String {
        guard let task, let label else { return model }
        return "miqa_\(model)_\(task)_\(label)"
    }
}
