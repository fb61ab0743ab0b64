import XCTest
import Imaging
@testable import MIQA

/// Wrong paths are named with the problem in words ("is a file, expected a folder", "a FIFO"),
/// not Foundation's "The operation couldn't be completed" or "You don't have permission".
final class PathMessageTests: XCTestCase {
    private var dir: URL!
    private var image: URL!
    private var fifo: String!

    override func setUpWithError() throws {
        dir = try CommandRunner.folder()
        image = dir.appendingPathComponent("photo.png")
        try ImageEncoder.png(ScoringFixtures.image(width: 64, height: 48, seed: 7)).write(to: image)
        fifo = dir.appendingPathComponent("pipe.png").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func assertMessage(_ arguments: [String], status: Int32, _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CommandRunner.run(arguments)
        XCTAssertTrue(r.exitedNormally, file: file, line: line)
        XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains(message), "expected '\(message)' in: \(r.stderr)", file: file, line: line)
        for foundation in ["couldn’t be completed", "couldn't be completed", "You don’t have permission", "You don't have permission"] {
            XCTAssertFalse(r.stderr.contains(foundation), r.stderr, file: file, line: line)
        }
    }

    func testOutFolderThatIsAFile() throws {
        let data = dir.appendingPathComponent("db")
        try FileManager.default.createDirectory(at: data.appendingPathComponent("labels"), withIntermediateDirectories: true)
        try assertMessage(["evaluate", "--data", data.path, "--out", image.path], status: 2, "--out \(image.path): is a file, expected a folder")
        try assertMessage(["train", "--data", data.path, "--task", "cls", "--train-split", "a", "--val-split", "b", "--model", "resnet18",
                           "--out", image.path], status: 2, "--out \(image.path): is a file, expected a folder")
        try assertMessage(["dataset", "generate", "--references", dir.path, "--out", image.path], status: 2,
                          "--out \(image.path): is a file, expected a folder")
        try assertMessage(["video", "analyze", image.path, "--plot-dir", image.path], status: 2,
                          "--plot-dir \(image.path): is a file, expected a folder")
        try assertMessage(["dataset", "generate", "--references", image.path, "--out", dir.appendingPathComponent("o").path], status: 2,
                          "--references \(image.path): is a file, expected a folder")
    }

    func testFIFOs() throws {
        // Named as an image: an error row, not a read that blocks forever.
        let r = try CommandRunner.run(["score", fifo, image.path, "--format", "csv"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("error: \(fifo!): not a regular file (a FIFO); refusing to read it"), r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 3, "the other image is still scored: \(r.stdout)")
        // In a folder scan too.
        let scan = try CommandRunner.run(["score", dir.path, "--format", "csv"])
        XCTAssertEqual(scan.status, 1, scan.stderr)
        XCTAssertTrue(scan.stderr.contains("\(fifo!): not a regular file (a FIFO)"), scan.stderr)
        try assertMessage(["weights", "inspect", fifo], status: 2, "weights file \(fifo!): is a FIFO (named pipe), expected a regular file")
        try assertMessage(["score", image.path, "--weights", fifo], status: 2, "--weights \(fifo!): is a FIFO (named pipe), expected a regular file")
        try assertMessage(["classify", fifo, "--weights", fifo], status: 2, "--weights \(fifo!): is a FIFO (named pipe), expected a regular file")
    }

    func testMissingAndFolderFiles() throws {
        try assertMessage(["weights", "inspect", dir.path], status: 2, "weights file \(dir.path): is a folder, expected a regular file")
        try assertMessage(["weights", "inspect", dir.appendingPathComponent("none.pth").path], status: 2,
                          "weights file \(dir.path)/none.pth: no such file")
        try assertMessage(["distort", dir.appendingPathComponent("none.png").path, "--type", "fog", "--candidate", "1", "-o",
                           dir.appendingPathComponent("o.png").path], status: 2, "image \(dir.path)/none.png: no such file")
    }
}
