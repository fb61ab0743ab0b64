import XCTest
import Imaging
@testable import MIQA

/// The output formats: the original's JSON layout, CSV and JSONL rows, and the summary statistics.
final class ScoreOutputTests: XCTestCase {
    private func runJob(format: ScoreFormat, inputs: [String]) throws -> (String, ScoreJob.Outcome) {
        let out = try ScoringFixtures.folder().appendingPathComponent("out")
        var job = ScoreJob(inputs: inputs)
        job.format = format
        job.output = out.path
        job.showProgress = false
        let outcome = try job.run(predictor: try ScoringFixtures.predictor())
        return (try String(contentsOf: out, encoding: .utf8), outcome)
    }

    private func inputs() throws -> [String] {
        let dir = try ScoringFixtures.folder()
        let good = dir.appendingPathComponent("good, \"quoted\".png")
        try ImageEncoder.png(ScoringFixtures.image(width: 120, height: 90, seed: 5)).write(to: good)
        let bad = dir.appendingPathComponent("bad.jpg")
        try Data([0xFF, 0xD8, 0xFF]).write(to: bad)
        return [good.path, bad.path, dir.appendingPathComponent("absent.png").path]
    }

    func testJSONHasTheOriginalLayout() throws {
        let (text, outcome) = try runJob(format: .json, inputs: try inputs())
        XCTAssertEqual(outcome.scored, 1)
        XCTAssertEqual(outcome.failed, 2)
        let doc = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        XCTAssertEqual(Set(doc.keys), ["metadata", "predictions"])
        let meta = doc["metadata"] as! [String: Any]
        XCTAssertEqual(Set(meta.keys), ["task", "model", "metric_type", "timestamp", "num_images"])
        XCTAssertEqual(meta["num_images"] as? Int, 3)
        XCTAssertEqual(meta["task"] as? String, "cls")
        XCTAssertEqual(meta["metric_type"] as? String, "composite")
        let predictions = doc["predictions"] as! [[String: Any]]
        XCTAssertEqual(predictions.count, 3)
        let scored = predictions.filter { !($0["quality_score"] is NSNull) }
        XCTAssertEqual(scored.count, 1)
        XCTAssertEqual(scored[0]["image_name"] as? String, "good, \"quoted\".png")
        XCTAssertNil(scored[0]["error"])
        for p in predictions where p["quality_score"] is NSNull {
            XCTAssertFalse((p["error"] as? String ?? "").isEmpty)
        }
    }

    func testCSVQuotesAndJSONLParses() throws {
        let (csv, _) = try runJob(format: .csv, inputs: try inputs())
        let lines = csv.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "image_path,image_name,quality_score,error")
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines.contains { $0.contains("\"good, \"\"quoted\"\".png\"") }, csv)
        let (jsonl, _) = try runJob(format: .jsonl, inputs: try inputs())
        let objects = try jsonl.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        XCTAssertEqual(objects.count, 3)
        XCTAssertEqual(objects.filter { $0["error"] != nil }.count, 2)
    }

    func testRunningSummaryMatchesDirectStatistics() {
        var s = RunningSummary()
        let values: [Float] = [0.2, 0.9, 0.5, 0.7, 0.1]
        for (i, v) in values.enumerated() { s.add(ImageScore(path: "/x/\(i).png", score: v)) }
        s.add(ImageScore(path: "/x/bad.png", score: nil, error: "empty file"))
        let mean = values.map(Double.init).reduce(0, +) / 5
        let std = (values.map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +) / 5).squareRoot()
        XCTAssertEqual(s.average, mean, accuracy: 1e-9)
        XCTAssertEqual(s.standardDeviation, std, accuracy: 1e-9)
        let lines = s.lines()
        XCTAssertTrue(lines.contains("scored 5 of 6 image(s), 1 failed"), "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("best:  1.png (0.9000), 3.png (0.7000), 2.png (0.5000)") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("worst: 4.png (0.1000), 0.png (0.2000), 2.png (0.5000)") }, "\(lines)")
    }
}
