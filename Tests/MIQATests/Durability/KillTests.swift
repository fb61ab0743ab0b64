import Foundation
import XCTest
import Checkpoints
import Imaging
import Tensor
@testable import MIQA

/// `kill -9` of real `miqa` processes at several moments (fixed delays and on seeing their first
/// output files), then a rerun: the result equals an uninterrupted run, and whatever the killed
/// run left under a final name is complete (equal to the uninterrupted run's file).
final class KillTests: XCTestCase {
    typealias F = DurabilityFixtures

    /// When to kill: after a delay, or when a file matching a predicate appears under a folder.
    enum Moment: CustomStringConvertible {
        case after(Double)
        case whenFile(String, (String) -> Bool)

        var description: String {
            switch self {
            case let .after(s): return "after \(s) s"
            case let .whenFile(what, _): return "on the first \(what)"
            }
        }
    }

    /// Starts `arguments`, kills the process at `moment` (watching `watched`); returns whether
    /// the kill hit a running process (false when it had already finished).
    private func runAndKill(_ arguments: [String], at moment: Moment, watching watched: URL, home: URL, logs: URL,
                            name: String) throws -> Bool {
        let run = try ReleaseBinary.Run(arguments, home: home, logs: logs, name: name)
        switch moment {
        case let .after(seconds):
            _ = ReleaseBinary.waitFor(timeout: seconds) { !run.process.isRunning }
        case let .whenFile(_, matches):
            _ = ReleaseBinary.waitFor(timeout: 60) {
                !run.process.isRunning || ((FileManager.default.enumerator(atPath: watched.path)?.allObjects as? [String]) ?? []).contains(where: matches)
            }
        }
        run.kill()
        let killed = run.process.terminationReason == .uncaughtSignal && run.process.terminationStatus == SIGKILL
        if !killed { XCTAssertEqual(run.process.terminationStatus, 0, "\(name) ended before the kill: \(run.stderr)") }
        return killed
    }

    /// Every file under a final (non-temporary) name in `found` is byte-equal to `complete`'s.
    private func assertOnlyCompleteFiles(_ found: [String: Data], _ complete: [String: Data], _ context: String) {
        for (path, data) in found where !F.isTemporaryPath(path) {
            XCTAssertNotNil(complete[path], "\(context): unexpected file \(path)")
            if let expected = complete[path] { XCTAssertEqual(data, expected, "\(context): \(path) is not complete") }
        }
    }

    func testGenerateKilledThenRerunGivesTheUninterruptedDatabase() throws {
        let dir = try F.folder(self, "kill-gen")
        let refs = try F.references(in: dir)
        let baseline = try DurabilityBaselines.generated(self)
        let moments: [Moment] = [.after(0.3), .after(0.8), .whenFile("distorted image", { $0.hasSuffix(".png") && $0.hasPrefix("images/") }),
                                 .whenFile("completion marker", { $0.hasSuffix("/.complete") })]
        var kills = 0
        for (i, moment) in moments.enumerated() {
            let root = dir.appendingPathComponent("db\(i)")
            try AtomicFile.makeDirectory(root)
            let args = F.generateArguments(refs: refs, root: root)
            if try runAndKill(args, at: moment, watching: root, home: dir, logs: dir, name: "gen\(i)") { kills += 1 }
            assertOnlyCompleteFiles(F.snapshot(root), baseline, "killed \(moment)")
            // A reference whose marker survived is complete, so the rerun keeps it.
            let r = try ReleaseBinary.run(args, home: dir, logs: dir, name: "gen\(i)-rerun")
            XCTAssertEqual(r.status, 0, r.stderr)
            let result = F.snapshot(root)
            XCTAssertEqual(result.keys.sorted(), baseline.keys.sorted(), "killed \(moment)")
            for (path, data) in baseline { XCTAssertEqual(result[path], data, "killed \(moment): \(path)") }
            XCTAssertEqual(F.temporaries(root), [], "killed \(moment)")
        }
        XCTAssertGreaterThanOrEqual(kills, 3, "most kills should hit a running generator")
    }

    func testLabelKilledThenRerunGivesTheUninterruptedLabels() throws {
        let dir = try F.folder(self, "kill-label")
        let (home, _, baseline) = try DurabilityBaselines.labels(self)
        // While the machine loads (nothing written yet), and as the first label file appears. The
        // whole labelling of this tiny database takes well under a second on a quick machine, so a
        // fixed delay can only be short; a run that ends before its kill still checks the rerun.
        let moments: [Moment] = [.after(0.05), .after(0.2), .whenFile("label file", { $0.hasSuffix("_mmos.csv") })]
        var kills = 0
        for (i, moment) in moments.enumerated() {
            let root = dir.appendingPathComponent("db\(i)")
            try DurabilityBaselines.copyOfGenerated(self, to: root)
            let args = DurabilityBaselines.labelArguments(root)
            if try runAndKill(args, at: moment, watching: root.appendingPathComponent("labels"), home: home, logs: dir, name: "label\(i)") {
                kills += 1
            }
            assertOnlyCompleteFiles(F.snapshot(root.appendingPathComponent("labels")), baseline, "killed \(moment)")
            let r = try ReleaseBinary.run(args, home: home, logs: dir, name: "label\(i)-rerun")
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(F.snapshot(root.appendingPathComponent("labels")), baseline, "killed \(moment)")
            XCTAssertEqual(F.temporaries(root), [], "killed \(moment)")
        }
        XCTAssertGreaterThanOrEqual(kills, 2, "most kills should hit a running labeller")
    }

    /// A tiny labelled MIQD-like folder: 3 references x 4 random images, train (2) / val (1) splits.
    private func trainingData(_ root: URL) throws {
        try AtomicFile.makeDirectory(root.appendingPathComponent("labels"))
        var g = DropoutGenerator(seed: 5)
        for (r, id) in ["ref_a", "ref_b", "ref_c"].enumerated() {
            let folder = root.appendingPathComponent("images/\(id)")
            try AtomicFile.makeDirectory(folder)
            var rows = ["dist_images,weighted_consistency,weighted_accuracy"]
            for k in 0..<4 {
                let w = 40 + 2 * k, h = 36 + r
                let pixels = (0..<(w * h * 3)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
                try ImageEncoder.png(RGBImage(width: w, height: h, pixels: pixels)).write(to: folder.appendingPathComponent("\(id)_\(k).png"))
                rows.append("\(id)/\(id)_\(k).png,\(0.15 * Double(k) + 0.1 * Double(r)),\(0.8 - 0.1 * Double(k))")
            }
            try AtomicFile.write(rows.joined(separator: "\n") + "\n", to: root.appendingPathComponent("labels/\(id)_mmos.csv"))
        }
        try AtomicFile.write("Image Name\nref_a.JPEG\nref_b.JPEG\n", to: root.appendingPathComponent("train.csv"))
        try AtomicFile.write("Image Name\nref_c.JPEG\n", to: root.appendingPathComponent("val.csv"))
    }

    private func trainArguments(data: URL, out: URL, resume: Bool) -> [String] {
        ["train", "--data", data.path, "--task", "cls", "--train-split", data.appendingPathComponent("train.csv").path,
         "--val-split", data.appendingPathComponent("val.csv").path, "--model", "resnet18", "--batch-size", "3",
         "--epochs", "1", "--warmup-epochs", "0", "--lr", "0.001", "--image-size", "36", "--crop-size", "32",
         "--validations-per-epoch", "2", "--seed", "42", "--out", out.path, "--no-progress"] + (resume ? ["--resume"] : [])
    }

    /// What must equal between two finished training folders: the weights (bytes), the metrics,
    /// and the cards up to their creation time; the state's tensors (its metadata names the folder).
    private func trainingResult(_ out: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for f in ["best/model.safetensors", "last/model.safetensors", "metrics.csv", "metrics.jsonl"] {
            result[f] = try Data(contentsOf: out.appendingPathComponent(f))
        }
        for f in ["best/model.json", "last/model.json"] {
            var card = try JSONDecoder().decode(ModelCard.self, from: Data(contentsOf: out.appendingPathComponent(f)))
            card.created = ""
            result[f] = try ModelFiles.cardData(card)
        }
        let state = try SafetensorsReader.read(out.appendingPathComponent("last/state.safetensors"))
        for (name, t) in state.entries { result["state:\(name)"] = t.values.withUnsafeBytes { Data($0) } }
        return result
    }

    func testTrainKilledThenResumedEndsWithTheUninterruptedWeights() throws {
        let dir = try F.folder(self, "kill-train")
        let data = dir.appendingPathComponent("data")
        try trainingData(data)
        let full = dir.appendingPathComponent("full")
        let r = try ReleaseBinary.run(trainArguments(data: data, out: full, resume: false), home: dir, logs: dir, name: "train-full")
        XCTAssertEqual(r.status, 0, r.stderr)
        let expected = try trainingResult(full)

        // Before the first checkpoint (rerun from scratch), and as soon as it exists (resume).
        // 8 images, batch 3: 2 steps, each followed by a validation and a checkpoint.
        let moments: [Moment] = [.after(0.5), .whenFile("checkpoint", { $0 == "last/state.safetensors" })]
        var kills = 0
        for (i, moment) in moments.enumerated() {
            let out = dir.appendingPathComponent("out\(i)")
            try AtomicFile.makeDirectory(out)
            if try runAndKill(trainArguments(data: data, out: out, resume: false), at: moment, watching: out, home: dir,
                              logs: dir, name: "train\(i)") { kills += 1 }
            // A checkpoint the kill left is whole (it reads), so resuming from it is safe.
            let state = out.appendingPathComponent("last/state.safetensors")
            let resumable = FileManager.default.fileExists(atPath: state.path)
            if resumable { XCTAssertNoThrow(try SafetensorsReader.read(state), "killed \(moment)") }
            let rerun = try ReleaseBinary.run(trainArguments(data: data, out: out, resume: resumable), home: dir, logs: dir,
                                              name: "train\(i)-rerun")
            XCTAssertEqual(rerun.status, 0, rerun.stderr)
            let result = try trainingResult(out)
            XCTAssertEqual(result.keys.sorted(), expected.keys.sorted())
            for (key, value) in expected { XCTAssertEqual(result[key], value, "killed \(moment): \(key)") }
            XCTAssertEqual(F.temporaries(out), [], "killed \(moment)")
        }
        XCTAssertEqual(kills, moments.count, "every kill should hit a running training")
    }
}
