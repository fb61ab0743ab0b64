import XCTest
import Imaging
@testable import MIQA

/// The scoring pipeline on real files: good images are scored as the predictor scores their
/// decoded pixels, every kind of bad input becomes an error row naming the reason, and the run
/// goes on.
final class ScoringPipelineTests: XCTestCase {
    func testGoodAndBadFilesInOneFolder() throws {
        let predictor = try ScoringFixtures.predictor()
        let dir = try ScoringFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = ScoringFixtures.image(width: 320, height: 240, seed: 1)
        let b = ScoringFixtures.image(width: 289, height: 500, seed: 2)
        let jpeg = ImageEncoder.jpeg(b, quality: 90)
        try ImageEncoder.png(a).write(to: dir.appendingPathComponent("a_good.png"))
        try jpeg.write(to: dir.appendingPathComponent("b_good.JPG"))
        try Data().write(to: dir.appendingPathComponent("c_empty.jpg"))
        try jpeg.prefix(jpeg.count / 3).write(to: dir.appendingPathComponent("d_truncated.jpg"))
        let png = ImageEncoder.png(a)
        try png.prefix(png.count / 2).write(to: dir.appendingPathComponent("e_truncated.png"))
        try Data("just some text\n".utf8).write(to: dir.appendingPathComponent("f_text.png"))
        try ScoringFixtures.pngHeader(width: 30000, height: 30000).write(to: dir.appendingPathComponent("g_bomb.png"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("h_dangling.jpg").path,
                                                   withDestinationPath: "/nonexistent/x.jpg")
        try Data("ignored".utf8).write(to: dir.appendingPathComponent("notes.txt"))

        let (files, problems) = InputCollection.expand([dir.path])
        XCTAssertEqual(files.map { ($0 as NSString).lastPathComponent },
                       ["a_good.png", "b_good.JPG", "c_empty.jpg", "d_truncated.jpg", "e_truncated.png", "f_text.png", "g_bomb.png"])
        XCTAssertEqual(problems.map(\.name), ["h_dangling.jpg"])
        XCTAssertEqual(problems.first?.error, "unreadable: dangling symbolic link")

        var results: [ImageScore] = []
        ScoringPipeline(predictor: predictor, batchSize: 3).run(files) { r, _ in results.append(r) }
        XCTAssertEqual(results.map(\.path), files, "results in input order")

        let direct = predictor.scores([a, try ImageDecoder.decode(data: jpeg, name: "b")])
        XCTAssertEqual(Double(results[0].score!), Double(direct[0]), accuracy: 1e-6)
        XCTAssertEqual(Double(results[1].score!), Double(direct[1]), accuracy: 1e-6)
        XCTAssertNotEqual(direct[0], direct[1])

        let reasons = Dictionary(uniqueKeysWithValues: results.map { ($0.name, $0.error ?? "") })
        XCTAssertEqual(reasons["c_empty.jpg"], "empty file")
        XCTAssertTrue(reasons["d_truncated.jpg"]!.contains("truncated"), reasons["d_truncated.jpg"]!)
        XCTAssertFalse(reasons["e_truncated.png"]!.isEmpty)
        XCTAssertTrue(reasons["f_text.png"]!.hasPrefix("not an image"), reasons["f_text.png"]!)
        XCTAssertTrue(reasons["g_bomb.png"]!.contains("30000"), reasons["g_bomb.png"]!)
        for r in results where r.error != nil { XCTAssertNil(r.score, r.name) }
    }

    func testBatchSizeDoesNotChangeScores() throws {
        let predictor = try ScoringFixtures.predictor()
        let dir = try ScoringFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for i in 0..<5 {
            let url = dir.appendingPathComponent("img\(i).png")
            try ImageEncoder.png(ScoringFixtures.image(width: 200 + 17 * i, height: 150 + 9 * i, seed: i)).write(to: url)
            paths.append(url.path)
        }
        var one: [Float] = [], four: [Float] = []
        ScoringPipeline(predictor: predictor, batchSize: 1).run(paths) { r, _ in one.append(r.score!) }
        ScoringPipeline(predictor: predictor, batchSize: 4).run(paths) { r, _ in four.append(r.score!) }
        XCTAssertEqual(one.count, 5)
        for (x, y) in zip(one, four) { XCTAssertEqual(x, y, accuracy: 1e-5) }
    }

    func testPixelLimitAndRecursiveSymlinkLoop() throws {
        let predictor = try ScoringFixtures.predictor()
        let dir = try ScoringFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sub = dir.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try ImageEncoder.png(ScoringFixtures.image(width: 64, height: 48, seed: 3)).write(to: sub.appendingPathComponent("x.png"))
        // sub/loop -> .. : a cycle that a naive walk would follow forever.
        try FileManager.default.createSymbolicLink(atPath: sub.appendingPathComponent("loop").path, withDestinationPath: "..")
        let (files, problems) = InputCollection.expand([dir.path], recursive: true)
        XCTAssertEqual(files.map { ($0 as NSString).lastPathComponent }, ["x.png"])
        XCTAssertTrue(problems.isEmpty)
        let (none, noneProblems) = InputCollection.expand([dir.path], recursive: false)
        XCTAssertTrue(none.isEmpty)
        XCTAssertEqual(noneProblems.first?.error, "directory contains no images")

        var results: [ImageScore] = []
        ScoringPipeline(predictor: predictor, batchSize: 2, maxPixels: 1000).run(files) { r, _ in results.append(r) }
        XCTAssertNil(results[0].score)
        XCTAssertTrue(results[0].error!.contains("64") && results[0].error!.contains("48"), results[0].error!)
    }

    func testAsyncStreamYieldsTheSameResults() async throws {
        let predictor = try ScoringFixtures.predictor()
        let dir = try ScoringFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for i in 0..<3 {
            let url = dir.appendingPathComponent("s\(i).png")
            try ImageEncoder.png(ScoringFixtures.image(width: 100, height: 80, seed: 10 + i)).write(to: url)
            paths.append(url.path)
        }
        paths.append(dir.appendingPathComponent("missing.png").path)
        let pipeline = ScoringPipeline(predictor: predictor, batchSize: 2)
        var sync: [ImageScore] = []
        pipeline.run(paths) { r, _ in sync.append(r) }
        var streamed: [ImageScore] = []
        for await r in pipeline.results(for: paths) { streamed.append(r) }
        XCTAssertEqual(streamed, sync)
        XCTAssertNotNil(streamed.last?.error)
    }
}
