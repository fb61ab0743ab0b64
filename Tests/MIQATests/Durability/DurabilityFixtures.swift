import Foundation
import XCTest
import Checkpoints
@testable import MIQA

/// Material shared by the durability tests: folders, tiny inputs, classifier checkpoints and
/// snapshots of what a run left on disk.
enum DurabilityFixtures {
    static let datasetFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Dataset/Fixtures")

    /// A fresh temporary folder, removed when the test ends.
    static func folder(_ test: XCTestCase, _ label: String = "dur") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A references folder with the two dataset fixtures (160x128 PNG and 192x180 JPEG).
    static func references(in dir: URL) throws -> URL {
        let refs = dir.appendingPathComponent("refs")
        try FileManager.default.createDirectory(at: refs, withIntermediateDirectories: true)
        for name in ["ref_coffee.jpg", "ref_astronaut.png"] {
            try FileManager.default.copyItem(at: datasetFixtures.appendingPathComponent(name), to: refs.appendingPathComponent(name))
        }
        return refs
    }

    /// `dataset generate` arguments of the tiny database used throughout: 2 references x 1 type.
    static func generateArguments(refs: URL, root: URL, types: String = "contrast") -> [String] {
        ["dataset", "generate", "--references", refs.path, "--out", root.path, "--types", types, "--threads", "2", "--no-progress"]
    }

    /// Made once per test process (debug builds make them slowly), removed at its exit.
    private static let checkpoints = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-durability-checkpoints-\(getpid())")

    /// An ImageNet-shaped (1000 outputs) EfficientNet-Lite0 checkpoint with seeded fresh weights,
    /// as a safetensors file (18.6 MB): what `weights import` accepts and `dataset label` can run.
    static func classifierCheckpoint(seed: UInt64) throws -> URL {
        let url = checkpoints.appendingPathComponent("lite0_seed\(seed).safetensors")
        if FileManager.default.fileExists(atPath: url.path) { return url }
        if !FileManager.default.fileExists(atPath: checkpoints.path) {
            try FileManager.default.createDirectory(at: checkpoints, withIntermediateDirectories: true)
            atexit { try? FileManager.default.removeItem(at: DurabilityFixtures.checkpoints) }
        }
        guard let config = ModelRegistry.config(named: "efficientnet_lite0") else { throw XCTSkip("no efficientnet_lite0 config") }
        XCTAssertEqual(config.numOutputs, 1000)
        let weights = FreshWeights.make(config, seed: seed)
        var dict = TensorDict()
        for name in weights.keys.sorted() {
            guard let t = weights[name] else { continue }
            dict.set(name, StoredTensor(shape: t.shape, values: t.values))
        }
        try SafetensorsWriter.write(dict, metadata: ["format": "pt"], to: url)
        return url
    }

    /// SHA-256 by coreutils' `sha256sum` (an independent implementation, and fast in debug builds).
    static func sha256sum(_ url: URL) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sha256sum", url.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        return String(text.prefix(64))
    }

    /// Every file under `root` (hidden ones included) by relative path, with its bytes; lock
    /// files are left out (they hold the pid of the last holder).
    static func snapshot(_ root: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return out }
        let base = root.resolvingSymlinksInPath().path
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                  url.lastPathComponent != DirectoryLock.fileName else { continue }
            let path = url.resolvingSymlinksInPath().path
            let relative = path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
            out[relative] = (try? Data(contentsOf: url)) ?? Data()
        }
        return out
    }

    /// Whether a relative path lies in or is one of our writers' temporaries.
    static func isTemporaryPath(_ path: String) -> Bool {
        path.split(separator: "/").contains { StagingFolder.isLeftover(String($0)) || $0.contains(".partial") || $0.hasSuffix(".tmp") }
    }

    /// Every entry under `root` whose name is one of our writers' temporaries or staging folders.
    static func temporaries(_ root: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var out: [String] = []
        for case let path as String in walker {
            let name = (path as NSString).lastPathComponent
            if StagingFolder.isLeftover(name) || name.contains(".partial") || name.hasSuffix(".tmp") { out.append(path) }
        }
        return out.sorted()
    }
}
