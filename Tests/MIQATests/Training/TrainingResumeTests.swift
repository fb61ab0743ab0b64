import XCTest
import Imaging
import Tensor
@testable import MIQA

/// `miqa train` end to end on a tiny generated MIQD-like folder: a run stopped after step k and
/// resumed from its last checkpoint ends with exactly the parameters of an uninterrupted run.
final class TrainingResumeTests: XCTestCase {
    private func makeDataset(_ root: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("labels"), withIntermediateDirectories: true)
        var g = DropoutGenerator(seed: 9)
        for (r, id) in ["ref_a", "ref_b", "ref_c"].enumerated() {
            let dir = root.appendingPathComponent("images/\(id)")
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
            var rows = ["dist_images,weighted_consistency,weighted_accuracy"]
            for k in 0..<4 {
                let w = 40 + 3 * k, h = 36 + r
                let pixels = (0..<(w * h * 3)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
                try ImageEncoder.png(RGBImage(width: w, height: h, pixels: pixels)).write(to: dir.appendingPathComponent("\(id)_\(k).png"))
                rows.append("\(id)/\(id)_\(k).png,\(0.2 * Double(k) + 0.1 * Double(r)),\(0.9 - 0.1 * Double(k))")
            }
            try (rows.joined(separator: "\n") + "\n").write(to: root.appendingPathComponent("labels/\(id)_mmos.csv"), atomically: true, encoding: .utf8)
        }
        try "Image Name\nref_a.JPEG\nref_b.JPEG\n".write(to: root.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
        try "Image Name\nref_c.JPEG\n".write(to: root.appendingPathComponent("val.csv"), atomically: true, encoding: .utf8)
    }

    func testStopAndResumeEqualsUninterruptedRun() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-train-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        try makeDataset(root)
        let config = try ArchitectureConfig.load(GradientParityTests.models.appendingPathComponent("resnet18/config.json"))
        func options(_ out: String) -> TrainingOptions {
            var o = TrainingOptions(data: root.path, task: "cls", trainSplit: root.appendingPathComponent("train.csv").path,
                                    valSplit: root.appendingPathComponent("val.csv").path, model: "resnet18",
                                    out: root.appendingPathComponent(out).path)
            o.configOverride = config
            o.batchSize = 3; o.epochs = 2; o.warmupEpochs = 1; o.lr = 1e-3
            o.imageSize = 36; o.cropSize = 32; o.validationsPerEpoch = 2; o.seed = 42
            return o
        }
        let full = try TrainingRun(options("full"), resume: false)
        full.showProgress = false; full.log = { _ in }
        try full.run()
        XCTAssertEqual(full.step, 4) // 8 images / batch 3 = 2 iterations per epoch, 2 epochs

        let first = try TrainingRun(options("split"), resume: false)
        first.showProgress = false; first.log = { _ in }
        try first.run(stopAfterStep: 3)
        XCTAssertEqual(first.step, 3)
        let second = try TrainingRun(options("split"), resume: true)
        second.showProgress = false; second.log = { _ in }
        XCTAssertEqual(second.step, 3)
        try second.run()

        let a = full.weights(), b = second.weights()
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        for (name, t) in a { XCTAssertEqual(t.values, b[name]!.values, name) }
        XCTAssertNotEqual(a["fc.weight"]!.values, FreshWeights.make(config, seed: 42)["fc.weight"]!.values)

        // The outputs exist and load as inference models; the log has one row per validation.
        let out = root.appendingPathComponent("split")
        for f in ["best/model.safetensors", "best/model.json", "last/model.safetensors", "last/state.safetensors", "metrics.csv", "metrics.jsonl"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path), f)
        }
        let csv = try String(contentsOf: out.appendingPathComponent("metrics.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 1 + 4)
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("full/metrics.csv"), encoding: .utf8), csv)
        let inference = try ModelRegistry.build(config, weights: WeightLoading.tensors(from: out.appendingPathComponent("last/model.safetensors")))
        XCTAssertEqual(inference.config, config)
    }
}
