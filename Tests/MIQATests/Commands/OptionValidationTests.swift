import XCTest
import Imaging
@testable import MIQA

/// Numeric options are checked when the command line is parsed: a value out of range is a usage
/// error (exit 2, one line naming the option and its range), never a crash or a runaway allocation.
final class OptionValidationTests: XCTestCase {
    private var image: URL!

    override func setUpWithError() throws {
        let dir = try CommandRunner.folder()
        image = dir.appendingPathComponent("photo.png")
        try ImageEncoder.png(ScoringFixtures.image(width: 64, height: 48, seed: 3)).write(to: image)
    }

    /// Runs `arguments`; it must exit normally with status 2 and say `message` on stderr.
    private func assertUsageError(_ arguments: [String], _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CommandRunner.run(arguments)
        XCTAssertTrue(r.exitedNormally, "\(arguments) crashed (signal \(r.status)): \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.status, 2, "\(arguments): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(message), "\(arguments): expected '\(message)' in: \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stdout, "", file: file, line: line)
    }

    func testThreadsAreLimited() throws {
        // Was SIGSEGV in OpenMP.
        try assertUsageError(["score", image.path, "--threads", "100000"], "--threads must be in 1...256 (got 100000)")
        try assertUsageError(["score", image.path, "--threads", "0"], "--threads must be in 1...256 (got 0)")
        try assertUsageError(["bench", "--threads=-3"], "--threads must be in 1...256 (got -3)")
        try assertUsageError(["dataset", "generate", "--references", image.path, "--out", "/tmp/x", "--threads", "100000"],
                             "--threads must be in 1...256")
    }

    func testDistortParametersAreFiniteAndBounded() throws {
        let out = image.deletingLastPathComponent().appendingPathComponent("out.png").path
        // Was SIGILL.
        try assertUsageError(["distort", image.path, "--type", "gaussian_noise", "--param", "nan", "-o", out],
                             "--param: noise std 'nan' is not a finite number")
        try assertUsageError(["distort", image.path, "--type", "gaussian_noise", "--param", "inf", "-o", out],
                             "is not a finite number")
        // Was a 160 GB kernel.
        try assertUsageError(["distort", image.path, "--type", "defocus_blur", "--param", "1e5,1e5", "-o", out],
                             "--param: defocus_blur radius must be in 0...50 (got 1e5)")
        try assertUsageError(["distort", image.path, "--type", "motion_blur", "--param", "1e9,1e9", "-o", out],
                             "--param: motion_blur radius must be in 0...250 (got 1e9)")
        try assertUsageError(["distort", image.path, "--type", "pixelate", "--param", "0", "-o", out],
                             "--param: pixelate factor must be in 0.01...1 (got 0)")
        try assertUsageError(["distort", image.path, "--type", "fog", "--param", "1", "-o", out],
                             "--param: fog takes 2 value(s) (amount, wibble decay), got 1")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    /// The largest accepted values still run (and finish: the bound is what keeps them small).
    func testDistortAcceptsItsRangeLimits() throws {
        let out = image.deletingLastPathComponent().appendingPathComponent("limit.png").path
        for (type, param) in [("defocus_blur", "50,10"), ("motion_blur", "250,125"), ("gaussian_noise", "10"), ("jpeg_compression", "0")] {
            try? FileManager.default.removeItem(atPath: out)
            let r = try CommandRunner.run(["distort", image.path, "--type", type, "--param", param, "-o", out])
            XCTAssertEqual(r.status, 0, "\(type) \(param): \(r.stderr)")
            let decoded = try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: out))
            XCTAssertEqual([decoded.width, decoded.height], [64, 48], type)
        }
    }

    func testBatchSizesAndCounts() throws {
        // Was SIGFPE (a division by the batch size).
        try assertUsageError(["train", "bench", "--model", "resnet18", "--batch-size", "0"], "--batch-size must be in 2...4096 (got 0)")
        try assertUsageError(["train", "bench", "--model", "resnet18", "--steps", "0"], "--steps must be in 1...10000 (got 0)")
        try assertUsageError(["bench", "--batch", "0"], "--batch must be in 1...4096 (got 0)")
        try assertUsageError(["bench", "--iters", "100000000"], "--iters must be in 1...10000")
        try assertUsageError(["score", image.path, "--batch-size", "1000000"], "--batch-size must be in 1...4096 (got 1000000)")
        try assertUsageError(["score", image.path, "--max-pixels", "0"], "--max-pixels must be in 1...1000000000 (got 0)")
        try assertUsageError(["classify", image.path, "--top", "0"], "--top must be in 1...1000 (got 0)")
        try assertUsageError(["video", "analyze", image.path, "--frames", "0"], "--frames must be in 1...100000 (got 0)")
        try assertUsageError(["video", "annotate", image.path, "--every=-1"], "--every must be in 1...100000 (got -1)")
        try assertUsageError(["dataset", "label", "/tmp", "--batch-size", "0"], "--batch-size must be in 1...4096 (got 0)")
        try assertUsageError(["dataset", "label", "/tmp", "--machines", "efficientnet_lite0,efficientnet_lite1", "--machine-weights", "inf,1"],
                             "--machine-weights must be finite non-negative numbers with a positive sum")
    }

    func testTrainingHyperparameters() throws {
        let base = ["train", "--data", "/tmp", "--task", "cls", "--train-split", "a.csv", "--val-split", "b.csv", "--model", "resnet18",
                    "--out", image.deletingLastPathComponent().appendingPathComponent("run").path]
        try assertUsageError(base + ["--lr", "nan"], "--lr must be a number above 0 and at most 10 (got nan)")
        try assertUsageError(base + ["--lr", "0"], "--lr must be a number above 0 and at most 10")
        try assertUsageError(base + ["--weight-decay=-1"], "--weight-decay must be a number in 0...10 (got -1.0)")
        try assertUsageError(base + ["--batch-size", "1"], "--batch-size must be in 2...4096 (got 1)")
        try assertUsageError(base + ["--crop-size", "100000"], "--crop-size must be in 32...2048 (got 100000)")
        try assertUsageError(base + ["--epochs", "0"], "--epochs must be in 1...10000 (got 0)")
    }

    /// Named values (task, label, loss, label definition, mask method, filter mode) are typed: a
    /// wrong one is a usage error that names the option and lists the choices, never a silent
    /// fallback (the loss used to become mse).
    func testNamedValuesAreCheckedAndListed() throws {
        let base = ["train", "--data", "/tmp", "--train-split", "a.csv", "--val-split", "b.csv", "--model", "resnet18",
                    "--out", image.deletingLastPathComponent().appendingPathComponent("run").path]
        try assertUsageError(base + ["--task", "cls", "--loss", "mae"], "'--loss <loss>'")
        try assertUsageError(base + ["--task", "cls", "--loss", "mae"], "'mse', 'huber'")
        try assertUsageError(base + ["--task", "seg"], "'cls', 'det'")
        try assertUsageError(base + ["--task", "cls", "--label", "quality"], "'composite', 'consistency'")
        try assertUsageError(["score", image.path, "--task", "segmentation"], "'--task <task>'")
        try assertUsageError(["score", image.path, "--metric-type", "mos"], "'composite', 'consistency'")
        try assertUsageError(["evaluate", "--data", "/tmp", "--model-task", "x"], "'cls', 'det'")
        try assertUsageError(["dataset", "label", "/tmp", "--definition", "top5"], "'probability', 'agreement'")
        try assertUsageError(["dataset", "generate", "--references", "/tmp", "--out", "/tmp/x", "--mask-method", "dino"], "'spectral-residual'")
        try assertUsageError(["filter", image.path, "--drop-lowest", "0.1", "--mode", "symlink"], "'copy', 'link'")
        try assertUsageError(["dataset", "import-scores", "/tmp", "--task", "cls", "--scores", "/tmp/s.csv"],
                             "--task must be det or ins")
    }

    /// The typed training options are stored as the same strings as before, so a run state
    /// written by an earlier version still resumes (and compares equal).
    func testTrainingOptionsKeepTheirStoredForm() throws {
        var o = TrainingOptions(data: "d", task: "cls", trainSplit: "a", valSplit: "b", model: "resnet18", out: "o")
        o.loss = .huber
        o.initialisation = TrainingInitialisation("/w/model.pth")
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(o)) as! [String: Any]
        XCTAssertEqual(json["loss"] as? String, "huber")
        XCTAssertEqual(json["initialisation"] as? String, "/w/model.pth")
        XCTAssertEqual(try JSONDecoder().decode(TrainingOptions.self, from: JSONEncoder().encode(o)), o)
        XCTAssertEqual(TrainingInitialisation("imagenet"), .imagenet)
        XCTAssertEqual(TrainingInitialisation("none"), TrainingInitialisation.none)
        XCTAssertEqual(TrainingInitialisation("ckpt.safetensors"), .checkpoint("ckpt.safetensors"))
    }

    /// Every numeric option documents its range in its help.
    func testHelpStatesTheRanges() throws {
        let score = try CommandRunner.run(["score", "--help"])
        XCTAssertEqual(score.status, 0)
        for text in ["1...256", "1...4096", "1...1000000000"] { XCTAssertTrue(score.stdout.contains(text), "score --help lacks \(text)") }
        let distort = try CommandRunner.run(["distort", "--help"])
        XCTAssertTrue(distort.stdout.contains("defocus_blur: radius 0...50, alias blur 0...10"), distort.stdout)
        let bench = try CommandRunner.run(["train", "bench", "--help"])
        XCTAssertTrue(bench.stdout.contains("2...4096"), bench.stdout)
    }
}
