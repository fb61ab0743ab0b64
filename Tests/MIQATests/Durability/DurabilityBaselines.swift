import Foundation
import XCTest
@testable import MIQA

/// Uninterrupted runs of the release binary, made once per test process, that interrupted and
/// racing runs are compared with: the tiny database (`DurabilityFixtures.generateArguments`), a
/// model store holding a seeded EfficientNet-Lite0 classifier, and that database's labels.
enum DurabilityBaselines {
    private static let base = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-durability-baselines-\(getpid())")
    nonisolated(unsafe) private static var database: [String: Data]?
    nonisolated(unsafe) private static var labelled: (home: URL, root: URL, files: [String: Data])?

    /// The generated tiny database: every file by relative path.
    static func generated(_ test: XCTestCase) throws -> [String: Data] {
        if let database { return database }
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        // Removed when the test process ends (the baselines are shared by its tests).
        atexit { try? FileManager.default.removeItem(at: DurabilityBaselines.base) }
        let refs = try DurabilityFixtures.references(in: base)
        let root = base.appendingPathComponent("generated")
        let r = try ReleaseBinary.run(DurabilityFixtures.generateArguments(refs: refs, root: root), home: base.appendingPathComponent("home"),
                                      logs: base, name: "baseline-generate")
        XCTAssertEqual(r.status, 0, r.stderr)
        let files = DurabilityFixtures.snapshot(root)
        // 2 references x 25 images, their scores and markers, 2 reference copies, dataset.json.
        XCTAssertEqual(files.count, 2 * 27 + 2 + 1, files.keys.sorted().joined(separator: "\n"))
        database = files
        return files
    }

    /// A model store with `efficientnet_lite0` (seed 1) installed by `weights import`, a copy of
    /// the generated database labelled by it (`dataset label --machines efficientnet_lite0`),
    /// and the label files.
    static func labels(_ test: XCTestCase) throws -> (home: URL, root: URL, files: [String: Data]) {
        if let labelled { return labelled }
        _ = try generated(test)
        let home = base.appendingPathComponent("home")
        let checkpoint = try DurabilityFixtures.classifierCheckpoint(seed: 1)
        let imported = try ReleaseBinary.run(["weights", "import", checkpoint.path, "--model", "efficientnet_lite0"],
                                             home: home, logs: base, name: "baseline-import")
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let root = base.appendingPathComponent("labelled")
        try FileManager.default.copyItem(at: base.appendingPathComponent("generated"), to: root)
        let r = try ReleaseBinary.run(labelArguments(root), home: home, logs: base, name: "baseline-label")
        XCTAssertEqual(r.status, 0, r.stderr)
        let files = DurabilityFixtures.snapshot(root.appendingPathComponent("labels"))
        // The labelling record is written before the first label file (DatasetLabeller).
        XCTAssertEqual(files.keys.sorted(), ["labelling.json", "ref_astronaut_mmos.csv", "ref_coffee_mmos.csv"])
        labelled = (home, root, files)
        return (home, root, files)
    }

    /// `dataset label` arguments of the tiny database with the one installed machine.
    static func labelArguments(_ root: URL) -> [String] {
        ["dataset", "label", root.path, "--machines", "efficientnet_lite0", "--batch-size", "8", "--no-progress"]
    }

    /// A fresh copy of the generated (unlabelled) database at `destination`.
    static func copyOfGenerated(_ test: XCTestCase, to destination: URL) throws {
        _ = try generated(test)
        try FileManager.default.copyItem(at: base.appendingPathComponent("generated"), to: destination)
    }
}
