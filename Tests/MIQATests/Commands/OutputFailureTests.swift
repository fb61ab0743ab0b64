import XCTest
import Imaging
@testable import MIQA

/// A destination that cannot be written (the full device, char 1,7 like /dev/full: every write fails with ENOSPC)
/// gives an error naming it ("standard output" or the path) and a non-zero exit, never a crash
/// or a silent success.
final class OutputFailureTests: XCTestCase {
    private var dir: URL!
    private var image: URL!

    override func setUpWithError() throws {
        dir = try CommandRunner.folder()
        image = dir.appendingPathComponent("photo.png")
        try ImageEncoder.png(ScoringFixtures.image(width: 96, height: 72, seed: 1)).write(to: image)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// The full device (a private node of it, so nothing a test runs can replace the system's /dev/full).
    private func fullDevice() throws -> String {
        try XCTUnwrap(CommandRunner.fullDevice(in: dir) ?? (FileManager.default.fileExists(atPath: dir.appendingPathComponent("full").path)
                                                              ? dir.appendingPathComponent("full").path : nil),
                      "mknod of a full device needs root")
    }

    private func assertFails(_ r: CommandRunner.Result, status: Int32, naming: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(r.exitedNormally, "crashed: \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains(naming), "expected '\(naming)' in: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains("No space left on device") || r.stderr.contains("no space left on device"), r.stderr,
                      file: file, line: line)
    }

    func testScoreToFullStandardOutput() throws {
        for format in ["jsonl", "json", "csv", "table"] {
            let r = try CommandRunner.run(["score", image.path, "--format", format, "--no-progress"], stdoutPath: try fullDevice())
            assertFails(r, status: 1, naming: "standard output: cannot write")
        }
    }

    func testScoreToFullOutputFile() throws {
        let full = try fullDevice()
        let r = try CommandRunner.run(["score", image.path, "--format", "csv", "--output", full])
        assertFails(r, status: 1, naming: "\(full): cannot write")
        var st = stat()
        XCTAssertEqual(stat(full, &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFCHR, "the device is still a device (written in place, not replaced)")
    }

    /// Commands that write by renaming a new file over the output refuse a device as output
    /// (it would be replaced by a regular file).
    func testAtomicWritersRefuseADevice() throws {
        let full = try fullDevice()
        let distort = try CommandRunner.run(["distort", image.path, "--type", "fog", "--candidate", "2", "-o", full])
        XCTAssertEqual(distort.status, 2, distort.stderr)
        XCTAssertTrue(distort.stderr.contains("-o \(full): is a device, expected a regular file"), distort.stderr)
        let video = try CommandRunner.run(["video", "analyze", image.path, "--output", full])
        XCTAssertEqual(video.status, 2, video.stderr)
        XCTAssertTrue(video.stderr.contains("--output \(full): is a device, expected a regular file"), video.stderr)
        var st = stat()
        XCTAssertEqual(stat(full, &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFCHR)
    }

    func testScoreOutputInAMissingFolderIsRefused() throws {
        let target = dir.appendingPathComponent("photo.png/out.csv").path  // under a file
        let r = try CommandRunner.run(["score", image.path, "--output", target])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("--output \(target): \(image.path) is not a folder"), r.stderr)
    }

    func testVideoAnalyzeJSONToFullStandardOutput() throws {
        // An image input is scored as an image: the JSON path runs without FFmpeg.
        let r = try CommandRunner.run(["video", "analyze", image.path, "--output", "-", "--no-progress"], stdoutPath: try fullDevice())
        assertFails(r, status: 1, naming: "standard output: cannot write")
    }

    func testWeightsInspectToFullStandardOutput() throws {
        let weights = CommandRunner.packageRoot.appendingPathComponent("Tests/MIQATests/Fixtures/models/resnet18/model.pth.tar").path
        let ok = try CommandRunner.run(["weights", "inspect", weights])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertFalse(ok.stdout.isEmpty)
        let r = try CommandRunner.run(["weights", "inspect", weights], stdoutPath: try fullDevice())
        assertFails(r, status: 2, naming: "standard output: cannot write")
    }

    func testClassifyToFullStandardOutput() throws {
        let weights = try CommandRunner.classifierWeights(in: dir)
        let ok = try CommandRunner.run(["classify", image.path, "--weights", weights.path, "--top", "3"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.stdout.split(separator: "\n").count, 4, ok.stdout)  // the path, then 3 classes
        let r = try CommandRunner.run(["classify", image.path, "--weights", weights.path, "--json"], stdoutPath: try fullDevice())
        assertFails(r, status: 1, naming: "standard output: cannot write")
    }

    /// --visualize: PNGs that cannot be written make the run fail and are named; the scores are kept.
    func testVisualizeWriteFailuresAreReported() throws {
        let images = try (0..<4).map { i -> URL in
            let url = dir.appendingPathComponent("img\(i).png")
            try ImageEncoder.png(ScoringFixtures.image(width: 64, height: 48, seed: i)).write(to: url)
            return url
        }
        let save = dir.appendingPathComponent("vis")
        // A folder (not empty) where two of the PNGs go: renaming a file over it fails.
        for i in [1, 3] {
            let blocker = save.appendingPathComponent("miqa_efficientnet_lite0_img\(i).png")
            try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: blocker.appendingPathComponent("keep"))
        }
        let out = dir.appendingPathComponent("scores.csv")
        let r = try CommandRunner.run(["score"] + images.map(\.path) + ["--visualize", "--save-dir", save.path, "--format", "csv",
                                                                         "--output", out.path, "--no-progress"])
        XCTAssertTrue(r.exitedNormally)
        XCTAssertEqual(r.status, 1, r.stderr)
        for i in [1, 3] {
            XCTAssertTrue(r.stderr.contains("\(save.path)/miqa_efficientnet_lite0_img\(i).png: cannot write"), r.stderr)
        }
        XCTAssertTrue(r.stderr.contains("2 annotated image(s) could not be written"), r.stderr)
        for i in [0, 2] {
            let png = try ImageDecoder.decode(contentsOf: save.appendingPathComponent("miqa_efficientnet_lite0_img\(i).png"))
            XCTAssertEqual(png.width, 64)
        }
        let rows = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 5, "all four scores are kept")
        XCTAssertEqual(rows.dropFirst().filter { $0.hasSuffix(",") }.count, 4, "no row has an error")
    }

    /// --save-dir that is a file: one line in words, not Foundation's "The operation couldn't be completed".
    func testSaveDirThatIsAFile() throws {
        let r = try CommandRunner.run(["score", image.path, "--visualize", "--save-dir", image.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("--save-dir \(image.path): is a file, expected a folder"), r.stderr)
        XCTAssertFalse(r.stderr.contains("couldn"), r.stderr)
    }
}
