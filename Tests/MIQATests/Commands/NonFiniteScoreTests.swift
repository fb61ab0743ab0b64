import XCTest
import Imaging
@testable import MIQA

/// A model whose output is NaN or infinite (here: the built-in default with its head bias set to
/// NaN / inf by the safetensors library) gives an error row in every format and exit status 1,
/// instead of trapping in the JSON encoder.
final class NonFiniteScoreTests: XCTestCase {
    private var dir: URL!
    private var image: URL!

    override func setUpWithError() throws {
        dir = try CommandRunner.folder()
        image = dir.appendingPathComponent("photo.png")
        try ImageEncoder.png(ScoringFixtures.image(width: 96, height: 72, seed: 2)).write(to: image)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// The default model's folder copied with `_fc.bias` replaced by `value` (a Python float literal).
    private func brokenModel(_ value: String) throws -> URL {
        let source = CommandRunner.packageRoot.appendingPathComponent("Sources/MIQA/Resources/DefaultModel")
        let target = dir.appendingPathComponent("model-\(value)")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source.appendingPathComponent("model.json"), to: target.appendingPathComponent("model.json"))
        _ = try CommandRunner.runPython("""
            import hashlib, json, sys, numpy as np
            from safetensors.numpy import load_file, save_file
            d = load_file(sys.argv[1])
            d['_fc.bias'] = np.full(d['_fc.bias'].shape, float(sys.argv[3]), dtype=d['_fc.bias'].dtype)
            save_file(d, sys.argv[2])
            # The card vouches for its weights by SHA-256 (checked on load): state the new file's.
            card = json.load(open(sys.argv[4]))
            card['weights_sha256'] = hashlib.sha256(open(sys.argv[2], 'rb').read()).hexdigest()
            json.dump(card, open(sys.argv[4], 'w'))
            """, arguments: [source.appendingPathComponent("model.safetensors").path, target.appendingPathComponent("model.safetensors").path, value,
                             target.appendingPathComponent("model.json").path])
        return target.appendingPathComponent("model.safetensors")
    }

    func testNaNOutputIsAnErrorRowInEveryFormat() throws {
        let weights = try brokenModel("nan")
        let message = ScoreReport.nonFiniteError
        XCTAssertEqual(message, "model output is not a finite number")
        for format in ["json", "jsonl", "csv", "table"] {
            let r = try CommandRunner.run(["score", image.path, "--weights", weights.path, "--format", format, "--no-progress"])
            XCTAssertTrue(r.exitedNormally, "\(format) crashed: \(r.stderr)")
            XCTAssertEqual(r.status, 1, "\(format): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("error: \(image.path): \(message)"), r.stderr)
            switch format {
            case "json":
                let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
                let predictions = try XCTUnwrap(doc["predictions"] as? [[String: Any]])
                XCTAssertEqual(predictions.count, 1)
                XCTAssertTrue(predictions[0]["quality_score"] is NSNull)
                XCTAssertEqual(predictions[0]["error"] as? String, message)
            case "jsonl":
                let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
                XCTAssertTrue(object["quality_score"] is NSNull)
                XCTAssertEqual(object["error"] as? String, message)
            case "csv":
                XCTAssertEqual(r.stdout, "image_path,image_name,quality_score,error\n\(image.path),photo.png,,\(message)\n")
            default:
                XCTAssertTrue(r.stdout.contains("photo.png"), r.stdout)
                XCTAssertTrue(r.stdout.contains("error: \(message)"), r.stdout)
                XCTAssertTrue(r.stdout.contains("scored 0 of 1 image(s), 1 failed"), r.stdout)
            }
        }
    }

    func testInfiniteOutputToo() throws {
        let weights = try brokenModel("inf")
        let r = try CommandRunner.run(["score", image.path, "--weights", weights.path, "--format", "jsonl"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains(#""error":"model output is not a finite number""#), r.stdout)
    }

    func testReportFunctionsNeverEmitNaN() {
        let r = ImageScore(path: "/x/a.png", score: .nan)
        XCTAssertEqual(ScoreReport.csvRow(r), "/x/a.png,a.png,,model output is not a finite number")
        XCTAssertEqual(ScoreReport.jsonObject(ImageScore(path: "/x/a.png", score: -.infinity)),
                       #"{"error":"model output is not a finite number","image_name":"a.png","image_path":"/x/a.png","quality_score":null}"#)
        XCTAssertEqual(ScoreReport.checked(ImageScore(path: "/x/b.png", score: 0.25)), ImageScore(path: "/x/b.png", score: 0.25))
    }
}
