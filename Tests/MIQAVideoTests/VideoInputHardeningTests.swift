import Foundation
import XCTest
import Imaging
import MIQA
@testable import MIQAVideo

/// Frame sizes are checked before any frame buffer exists, and file names reach FFmpeg as
/// `file:` URLs: a local file named like a protocol URL is still that file.
final class VideoInputHardeningTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try VideoFixtures.folder()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// The fuzzer's one-frame 32768x2 YUV4MPEG file (98 KB) took 4.2 GB in `video analyze`
    /// (its resize to 288 high is 4718592x288). It is refused at probe time, with the size.
    func testStripReproducerIsRefusedAtProbe() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fuzz/video_mem4GB_strip_32768x2_98KB.y4m").path
        let expected = "frame size 32768x2 exceeds the limit (at most 16384 pixels a side and 35389440 pixels in all)"
        XCTAssertThrowsError(try VideoProbe.probe(path)) { error in
            XCTAssertEqual("\(error)", expected)
        }
        XCTAssertThrowsError(try VideoAnalyzer(scorer: VideoFixtures.predictor(), framesPerVideo: 5).analyze(path)) { error in
            XCTAssertEqual("\(error)", expected)
        }
    }

    /// The release binary on the same file: one error line naming it, exit 1, and a small peak
    /// (was 4.2 GB). Skipped when `swift build -c release --product miqa` has not been run.
    func testStripReproducerInTheReleaseBinary() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let miqa = root.appendingPathComponent(".build/release/miqa").path
        guard FileManager.default.isExecutableFile(atPath: miqa), FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
            throw XCTSkip("needs \(miqa) (swift build -c release --product miqa) and GNU time")
        }
        let file = "Tests/MIQAVideoTests/Fixtures/fuzz/video_mem4GB_strip_32768x2_98KB.y4m"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-v", miqa, "video", "analyze", file, "--no-progress"]
        process.currentDirectoryURL = root
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertTrue(text.contains("error: \(file): frame size 32768x2 exceeds the limit (at most 16384 pixels a side and 35389440 pixels in all)\n"), text)
        XCTAssertTrue(text.contains("Exit status: 1\n"), text)
        let peak = text.split(separator: "\n").first { $0.contains("Maximum resident set size") }
            .flatMap { Int($0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") }
        let kb = try XCTUnwrap(peak, text)
        XCTAssertLessThan(kb, 2_000_000, "peak RSS \(kb) KB")
    }

    /// A caller-made `VideoInfo` cannot bypass the check either.
    func testFrameReaderChecksTheSizeItIsGiven() {
        let info = VideoInfo(frameCount: 1, fps: 25, fpsFraction: "25/1", width: 100_000, height: 100_000)
        XCTAssertThrowsError(try FrameReader(path: "/nonexistent.mp4", info: info)) { error in
            XCTAssertEqual("\(error)", "frame size 100000x100000 exceeds the limit (at most 16384 pixels a side and 35389440 pixels in all)")
        }
        XCTAssertNoThrow(try VideoProbe.checkFrameSize(width: 8192, height: 4320))
        XCTAssertThrowsError(try VideoProbe.checkFrameSize(width: 8192, height: 4321))
        XCTAssertThrowsError(try VideoProbe.checkFrameSize(width: 16385, height: 2))
    }

    /// `concat:x.mp4` given as a relative path used to be read by FFmpeg's concat protocol
    /// (which then looked for a file `x.mp4`); `file,comma.mp4` has a comma where protocol
    /// options go. Both are real files here, made by ffmpeg, and must be analysed as such.
    func testFileNamesThatLookLikeProtocolsAreFiles() throws {
        let saved = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(dir.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(saved) }
        for name in ["concat:x.mp4", "file,comma.mp4"] {
            // Written through an absolute path (never ambiguous), read back through the bare name.
            _ = try VideoFixtures.clip(in: dir, name: name, size: "64x48", seconds: 1, fps: 10)
            let info = try VideoProbe.probe(name)
            XCTAssertEqual(info.width, 64, name)
            XCTAssertEqual(info.height, 48, name)
            XCTAssertEqual(info.frameCount, 10, name)
            let analysis = try VideoAnalyzer(scorer: VideoFixtures.predictor(), framesPerVideo: 3).analyze(name)
            XCTAssertEqual(analysis.frames.map(\.frameIndex), FrameSampling.uniform(total: 10, count: 3), name)
        }
        // No file "x.mp4" exists, so the concat protocol could not have been what read it.
        XCTAssertFalse(FileManager.default.fileExists(atPath: "x.mp4"))
    }

    func testFFmpegFileURL() {
        XCTAssertEqual(ExternalTool.ffmpegFileURL("concat:a.mp4|b.mp4"), "file:concat:a.mp4|b.mp4")
        XCTAssertEqual(ExternalTool.ffmpegFileURL("/tmp/x.mp4"), "file:/tmp/x.mp4")
    }
}
