import XCTest
import Imaging
@testable import MIQA

/// Which model a command may use: classifiers classify, quality predictors score and evaluate,
/// and `score` and `evaluate` refuse and default the same way (one check, in ModelResolver).
final class PredictorChoiceTests: XCTestCase {
    private var dir: URL!
    private var image: URL!
    private let defaultWeights = CommandRunner.packageRoot.appendingPathComponent("Sources/MIQA/Resources/DefaultModel/model.safetensors")

    override func setUpWithError() throws {
        dir = try CommandRunner.folder()
        image = dir.appendingPathComponent("photo.png")
        try ImageEncoder.png(ScoringFixtures.image(width: 80, height: 60, seed: 5)).write(to: image)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A tiny MIQD database: one reference with `rows` labelled images.
    private func database(rows: Int) throws -> URL {
        let root = dir.appendingPathComponent("db")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("labels"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("images/r1"), withIntermediateDirectories: true)
        var csv = "dist_images,weighted_consistency\n"
        for i in 0..<rows {
            let name = "r1_\(DistortionType.allCases[i % 10].rawValue)_1_1.png"
            try ImageEncoder.png(ScoringFixtures.image(width: 64, height: 48, seed: i)).write(to: root.appendingPathComponent("images/r1/\(name)"))
            csv += "r1/\(name),\(0.9 - 0.1 * Double(i))\n"
        }
        try csv.write(to: root.appendingPathComponent("labels/r1_mmos.csv"), atomically: true, encoding: .utf8)
        return root
    }

    func testClassifyRefusesAQualityPredictor() throws {
        let r = try CommandRunner.run(["classify", image.path, "--weights", defaultWeights.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("has 1 output: it is a MIQA quality predictor, not a classifier"), r.stderr)
        XCTAssertEqual(r.stdout, "", "no 'tench 1.0000'")
    }

    func testEvaluateRefusesHeaderOnlyLabels() throws {
        let root = try database(rows: 0)
        let r = try CommandRunner.run(["evaluate", "--data", root.path, "--out", dir.appendingPathComponent("eval").path])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("\(root.path)/labels/r1_mmos.csv: no labelled images (the label file has a header but no rows)"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("eval/metrics.json").path))
    }

    func testScoreAndEvaluateRefuseAClassifierAlike() throws {
        let root = try database(rows: 3)
        let home = ["MIQA_HOME": dir.appendingPathComponent("home").path]  // one store for both, so the messages compare
        let score = try CommandRunner.run(["score", image.path, "--model", "efficientnet_lite0"], environment: home)
        let evaluate = try CommandRunner.run(["evaluate", "--data", root.path, "--model", "efficientnet_lite0",
                                              "--out", dir.appendingPathComponent("eval").path], environment: home)
        XCTAssertEqual(score.status, 2, score.stderr)
        XCTAssertEqual(evaluate.status, 2, evaluate.stderr)
        let expected = "efficientnet_lite0 is an ImageNet classifier, not a MIQA quality predictor"
        XCTAssertTrue(score.stderr.contains(expected), score.stderr)
        XCTAssertTrue(evaluate.stderr.contains(expected), evaluate.stderr)
        let firstLine = { (s: String) in s.split(separator: "\n").first { $0.hasPrefix("error:") }.map(String.init) }
        XCTAssertEqual(firstLine(score.stderr), firstLine(evaluate.stderr))
    }

    func testScoreAndEvaluateRefuseAClassifierFileAlike() throws {
        let root = try database(rows: 3)
        let weights = try CommandRunner.classifierWeights(in: dir)
        let score = try CommandRunner.run(["score", image.path, "--weights", weights.path])
        let evaluate = try CommandRunner.run(["evaluate", "--data", root.path, "--weights", weights.path,
                                              "--out", dir.appendingPathComponent("eval").path])
        for r in [score, evaluate] {
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains("has 1000 outputs: it is an ImageNet classifier, not a MIQA quality predictor"), r.stderr)
        }
        XCTAssertEqual(score.stdout, "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("eval/metrics.json").path))
    }

    /// Without --model/--weights, evaluate uses the embedded default as score does; the
    /// predictions equal what score prints for the same files.
    func testEvaluateUsesTheDefaultLikeScore() throws {
        let root = try database(rows: 3)
        let out = dir.appendingPathComponent("eval")
        let evaluate = try CommandRunner.run(["evaluate", "--data", root.path, "--out", out.path, "--no-progress"])
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        XCTAssertTrue(evaluate.stderr.contains("evaluating miqa_efficientnet_lite0_cls_composite on 3 cls images"), evaluate.stderr)
        let predictions = try CSVTable(contentsOf: out.appendingPathComponent("predictions.csv"))
        XCTAssertEqual(predictions.rows.count, 3)
        let score = try CommandRunner.run(["score", root.appendingPathComponent("images/r1").path, "--format", "csv", "--no-progress"])
        XCTAssertEqual(score.status, 0, score.stderr)
        let scored = try CSVTable(text: score.stdout, name: "stdout")
        var byName: [String: Double] = [:]
        for row in scored.rows { byName["r1/" + row[1]] = Double(row[2]) }
        for row in predictions.rows {
            let fromScore = try XCTUnwrap(byName[row[0]], row[0])
            XCTAssertEqual(try XCTUnwrap(Double(row[1])), fromScore, accuracy: 1e-5, row[0])
        }
    }
}
