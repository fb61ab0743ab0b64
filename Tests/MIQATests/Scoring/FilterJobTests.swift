import XCTest
import Imaging
@testable import MIQA

/// `miqa filter`'s job on real files scored by the tiny ResNet-18 fixture: which images are kept
/// must follow the scores the same predictor gives through `ScoringPipeline`.
final class FilterJobTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("filter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("in/a"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("in/b"), withIntermediateDirectories: true)
        for k in 0..<6 {
            let sub = k < 3 ? "a" : "b"
            // Same file name in both folders: the destination must keep them apart.
            try ImageEncoder.png(image(seed: k)).write(to: dir.appendingPathComponent("in/\(sub)/img\(k % 3).png"))
        }
        try Data("junk".utf8).write(to: dir.appendingPathComponent("in/a/broken.png"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func image(seed: Int) -> RGBImage {
        let w = 40, h = 30
        var px = [UInt8](repeating: 0, count: w * h * 3)
        for i in px.indices { px[i] = UInt8((i * (seed + 3) * 7 + seed * 41) % 256) }
        return RGBImage(width: w, height: h, pixels: px)
    }

    func scores(_ predictor: Predictor) -> [String: Float] {
        let (files, _) = InputCollection.expand([dir.appendingPathComponent("in").path], recursive: true)
        var out: [String: Float] = [:]
        ScoringPipeline(predictor: predictor).run(files) { r, _ in if let s = r.score { out[r.path] = s } }
        return out
    }

    func testDropLowestKeepsTheHighestScoredAndNeverTouchesBadFiles() throws {
        let predictor = try EvaluationEndToEndTests.fixturePredictor(task: "cls")
        let expected = scores(predictor)
        XCTAssertEqual(expected.count, 6)
        let out = dir.appendingPathComponent("out")
        var job = FilterJob(inputs: [dir.appendingPathComponent("in").path], rule: .dropLowest(0.5), mode: .copy, destination: out)
        job.recursive = true
        var decisions: [FilterJob.Decision] = []
        let summary = try job.run(predictor: predictor) { decisions.append($0) }
        XCTAssertEqual([summary.kept, summary.dropped, summary.failed], [3, 3, 1])
        let keptPaths = Set(decisions.filter { $0.outcome == .kept }.map(\.path))
        let top3 = Set(expected.sorted { $0.value > $1.value }.prefix(3).map(\.key))
        XCTAssertEqual(keptPaths, top3)
        XCTAssertTrue(decisions.contains { $0.outcome == .failed && $0.path.hasSuffix("broken.png") })
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("in/a/broken.png").path))
        // Copies are byte-equal and keep their folder below the input.
        for d in decisions where d.outcome == .kept {
            let dest = try XCTUnwrap(d.destination)
            XCTAssertTrue(dest.hasPrefix(out.path + "/a/") || dest.hasPrefix(out.path + "/b/"), dest)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dest)), try Data(contentsOf: URL(fileURLWithPath: d.path)))
        }
        // A second run must not overwrite what is there: every kept image fails, nothing changes.
        let second = try job.run(predictor: predictor) { _ in }
        XCTAssertEqual([second.kept, second.failed], [0, 4])
    }

    func testKeepAboveMoveAndListAndLink() throws {
        let predictor = try EvaluationEndToEndTests.fixturePredictor(task: "cls")
        let expected = scores(predictor)
        let threshold = Double(expected.values.sorted()[2])  // strictly above: 3 kept
        var list = FilterJob(inputs: [dir.appendingPathComponent("in").path], rule: .keepAbove(threshold), mode: .list, destination: nil)
        list.recursive = true
        var listed: [String] = []
        _ = try list.run(predictor: predictor) { if $0.outcome == .kept { listed.append($0.path) } }
        XCTAssertEqual(Set(listed), Set(expected.filter { Double($0.value) > threshold }.map(\.key)))

        var link = list
        link.mode = .link
        link.destination = dir.appendingPathComponent("links")
        var linked: [FilterJob.Decision] = []
        _ = try link.run(predictor: predictor) { if $0.outcome == .kept { linked.append($0) } }
        for d in linked {
            let target = try FileManager.default.destinationOfSymbolicLink(atPath: try XCTUnwrap(d.destination))
            XCTAssertEqual(target, URL(fileURLWithPath: d.path).standardizedFileURL.path)
        }

        var move = list
        move.mode = .move
        move.destination = dir.appendingPathComponent("moved")
        var moved: [FilterJob.Decision] = []
        _ = try move.run(predictor: predictor) { if $0.outcome == .kept { moved.append($0) } }
        XCTAssertEqual(moved.count, 3)
        for d in moved {
            XCTAssertFalse(FileManager.default.fileExists(atPath: d.path))
            XCTAssertTrue(FileManager.default.fileExists(atPath: try XCTUnwrap(d.destination)))
        }
    }

    func testRepeatedNamesOfDirectFilesGetSuffixes() {
        let job = FilterJob(inputs: [], rule: .keepAbove(0), mode: .list, destination: nil)
        XCTAssertEqual(job.destinationNames(["/x/a.png", "/y/a.png", "/z/a.png", "/z/b"]), ["a.png", "a_2.png", "a_3.png", "b"])
    }
}
