import XCTest
import Imaging
@testable import MIQA

/// No command overwrites an input, and no two inputs of a run share one output file.
final class OverwriteProtectionTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws { dir = try CommandRunner.folder() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func writeImage(_ name: String, seed: Int) throws -> URL {
        let url = dir.appendingPathComponent(name)
        let image = ScoringFixtures.image(width: 64, height: 48, seed: seed)
        try (name.hasSuffix(".jpg") ? ImageEncoder.jpeg(image, quality: 90) : ImageEncoder.png(image)).write(to: url)
        return url
    }

    func testOutputThatIsAnInputIsRefused() throws {
        let x = try writeImage("x.png", seed: 1)
        let before = try Data(contentsOf: x)
        let r = try CommandRunner.run(["score", x.path, "--output", x.path, "--format", "csv"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("--output \(x.path): is one of the inputs; refusing to overwrite it"), r.stderr)
        XCTAssertEqual(try Data(contentsOf: x), before, "the input is untouched")

        // The same file under another name (a symbolic link), and inside a scanned folder.
        let link = dir.appendingPathComponent("alias.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: x)
        let viaLink = try CommandRunner.run(["score", dir.path, "--output", link.path])
        XCTAssertEqual(viaLink.status, 2, viaLink.stderr)
        XCTAssertTrue(viaLink.stderr.contains("--output \(link.path): is the input \(x.path); refusing to overwrite it"), viaLink.stderr)
        XCTAssertEqual(try Data(contentsOf: x), before)
    }

    func testVisualizeGivesSameStemInputsDistinctFiles() throws {
        let png = try writeImage("x.png", seed: 1), jpg = try writeImage("x.jpg", seed: 2), other = try writeImage("y.png", seed: 3)
        let sub = dir.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let nested = sub.appendingPathComponent("y.png")
        try FileManager.default.copyItem(at: other, to: nested)
        let save = dir.appendingPathComponent("vis")
        let r = try CommandRunner.run(["score", png.path, jpg.path, other.path, nested.path, "--visualize", "--save-dir", save.path,
                                       "--no-progress"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let names = try FileManager.default.contentsOfDirectory(atPath: save.path).sorted()
        XCTAssertEqual(names, ["miqa_efficientnet_lite0_x_jpg.png", "miqa_efficientnet_lite0_x_png.png",
                               "miqa_efficientnet_lite0_y_png.png", "miqa_efficientnet_lite0_y_png_2.png"])
        // Each file is its own input's picture: x.png and x.jpg differ.
        let a = try ImageDecoder.decode(contentsOf: save.appendingPathComponent(names[0]))
        let b = try ImageDecoder.decode(contentsOf: save.appendingPathComponent(names[1]))
        XCTAssertNotEqual(a.pixels, b.pixels)
        let help = try CommandRunner.run(["score", "--help"])
        XCTAssertTrue(help.stdout.contains("miqa_<model>_<stem>_<ext>.png"), help.stdout)
    }

    func testVisualizeKeepsTheOriginalNameWithoutClash() throws {
        let x = try writeImage("solo.png", seed: 4)
        let save = dir.appendingPathComponent("vis")
        let r = try CommandRunner.run(["score", x.path, "--visualize", "--save-dir", save.path, "--no-progress"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: save.path), ["miqa_efficientnet_lite0_solo.png"])
    }

    /// clip.mp4 and clip.webm would both become clip_annotated.mp4: refused before any decoding.
    func testAnnotateRefusesTwoVideosWithOneOutput() throws {
        let mp4 = dir.appendingPathComponent("clip.mp4"), webm = dir.appendingPathComponent("clip.webm")
        try Data("not decoded".utf8).write(to: mp4)
        try Data("not decoded".utf8).write(to: webm)
        let out = dir.appendingPathComponent("annotated")
        let r = try CommandRunner.run(["video", "annotate", mp4.path, webm.path, "--output-dir", out.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("\(mp4.path) and \(webm.path) would both be written to \(out.path)/clip_annotated.mp4"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("clip_annotated.mp4").path))
    }

    func testVisualizationPlanIsUniqueAndStable() throws {
        var vis = try Visualization(directory: dir.appendingPathComponent("plan"), model: "m")
        let inputs = ["/a/x.png", "/b/x.png", "/a/x.jpg", "/a/z.webp", "/a/x"]
        vis.plan(inputs)
        let names = inputs.map { vis.outputURL(for: $0).lastPathComponent }
        XCTAssertEqual(names, ["m_x_png.png", "m_x_png_2.png", "m_x_jpg.png", "m_z.png", "m_x_noext.png"].map { "miqa_" + $0 })
        XCTAssertEqual(Set(names).count, inputs.count)
    }
}
