import XCTest
import Imaging
import MIQA
@testable import MIQAVideo

/// Inputs that are not plain constant-rate 8-bit videos: a clear error, or correct handling;
/// one bad input never stops the others.
final class BadInputTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try VideoFixtures.folder()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func analyzeError(_ path: String) throws -> String {
        do {
            _ = try VideoAnalyzer(scorer: VideoFixtures.predictor(), framesPerVideo: 5).analyze(path)
        } catch let e as VideoError {
            return e.description
        }
        XCTFail("\(path) was analysed")
        return ""
    }

    func testAudioOnlyFileHasNoVideoStream() throws {
        let path = dir.appendingPathComponent("audio.mp4").path
        try VideoFixtures.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", path])
        XCTAssertTrue(try analyzeError(path).contains("no video stream"))
    }

    func testTruncatedAndCorruptFilesAreReported() throws {
        let good = try VideoFixtures.clip(in: dir, name: "good.mp4", seconds: 2)
        let data = try Data(contentsOf: URL(fileURLWithPath: good))
        // Index (moov) at the end, as ffmpeg writes by default: cut in half, nothing is readable.
        let cut = dir.appendingPathComponent("cut.mp4").path
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: cut))
        XCTAssertTrue(try analyzeError(cut).contains("cannot open as a video"))
        let text = dir.appendingPathComponent("text.mp4").path
        try Data("not a video".utf8).write(to: URL(fileURLWithPath: text))
        XCTAssertTrue(try analyzeError(text).contains("cannot open as a video"))
        let empty = dir.appendingPathComponent("empty.mp4").path
        try Data().write(to: URL(fileURLWithPath: empty))
        XCTAssertTrue(try analyzeError(empty).contains("cannot open as a video"))
    }

    /// Index first (faststart) and the data cut: the frames that exist are analysed, the rest
    /// reported as a warning.
    func testTruncatedStreamingFileKeepsTheDecodableFrames() throws {
        let good = try VideoFixtures.clip(in: dir, name: "fs.mp4", seconds: 2,
                                          extra: ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart"])
        let data = try Data(contentsOf: URL(fileURLWithPath: good))
        let cut = dir.appendingPathComponent("fs_cut.mp4").path
        try data.prefix(data.count * 2 / 3).write(to: URL(fileURLWithPath: cut))
        let a = try VideoAnalyzer(scorer: VideoFixtures.predictor(), framesPerVideo: 10).analyze(cut)
        XCTAssertGreaterThan(a.frames.count, 0)
        XCTAssertLessThan(a.frames.count, 10)
        XCTAssertEqual(a.warnings.count, 1)
    }

    func testFileWithoutStreamsIsReported() throws {
        let path = dir.appendingPathComponent("zero.mp4").path
        try VideoFixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25:duration=1", "-frames:v", "0", "-c:v", "libx264", path])
        let message = try analyzeError(path)
        XCTAssertTrue(message.contains("no video stream") || message.contains("no frames"), message)
    }

    /// Variable frame rate: timestamps are the frames' real presentation times, not index / fps.
    func testVariableFrameRateUsesRealTimestamps() throws {
        let path = dir.appendingPathComponent("vfr.mp4").path
        // 25 frames in the first second, then 25 frames 0.1 s apart, then 25 at 25 fps again.
        try VideoFixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25:duration=3",
                                  "-vf", "setpts='if(lt(N,25),N/25,if(lt(N,50),1+(N-25)/10,3.5+(N-50)/25))/TB'",
                                  "-fps_mode", "vfr", "-c:v", "libx264", "-pix_fmt", "yuv420p", path])
        let info = try VideoProbe.probe(path)
        let times = try XCTUnwrap(info.frameTimes)
        XCTAssertEqual(times.count, 75)
        let a = try VideoAnalyzer(scorer: VideoFixtures.predictor(), framesPerVideo: 15).analyze(path)
        XCTAssertEqual(a.frames.count, 15)
        for f in a.frames { XCTAssertEqual(f.timestamp, times[f.frameIndex]) }
        // Frame 45 is in the slow middle part, past 2.5 s (index / fps would say under 2.7 at
        // the average rate but 1.8 at 25 fps).
        XCTAssertEqual(times[45], 3.0, accuracy: 0.05)
        XCTAssertEqual(a.seconds.map(\.second), Array(Set(a.frames.map { Int($0.timestamp) })).sorted())
    }

    /// A phone video stored sideways with a display matrix: frames arrive upright, the size
    /// reported is the displayed one, and the pixels equal FFmpeg's own upright decode.
    func testRotatedVideoIsTurnedUpright() throws {
        let plain = try VideoFixtures.clip(in: dir, name: "plain.mp4", size: "64x48", seconds: 1)
        let rotated = dir.appendingPathComponent("rotated.mp4").path
        try VideoFixtures.ffmpeg(["-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated])
        let info = try VideoProbe.probe(rotated)
        XCTAssertEqual(info.rotation % 180, 90)
        XCTAssertEqual(info.width, 48)
        XCTAssertEqual(info.height, 64)
        try VideoFixtures.ffmpeg(["-i", rotated, "-frames:v", "1", dir.appendingPathComponent("r.png").path])
        let reader = try FrameReader(path: rotated, info: info, indices: [0])
        let first = try XCTUnwrap(try reader.next())
        XCTAssertEqual(first.image, try ImageDecoder.decode(contentsOf: dir.appendingPathComponent("r.png")))
        try reader.finish()
    }

    /// 10-bit and odd-sized videos decode to 8-bit RGB of the right size and are analysed.
    func testTenBitAndOddSizes() throws {
        let ten = try VideoFixtures.clip(in: dir, name: "ten.mp4", size: "64x48", seconds: 1,
                                         extra: ["-c:v", "libx264", "-pix_fmt", "yuv420p10le"])
        let odd = try VideoFixtures.clip(in: dir, name: "odd.mkv", size: "64x48", seconds: 1,
                                         extra: ["-vf", "scale=65:47", "-c:v", "libx264", "-pix_fmt", "yuv444p"])
        XCTAssertEqual(try VideoProbe.probe(ten).pixelFormat, "yuv420p10le")
        let oddInfo = try VideoProbe.probe(odd)
        XCTAssertEqual([oddInfo.width, oddInfo.height, oddInfo.frameCount], [65, 47, 25])  // Matroska: frames counted
        for path in [ten, odd] {
            let a = try VideoAnalyzer(scorer: VideoFixtures.predictor(), framesPerVideo: 5).analyze(path)
            XCTAssertEqual(a.frames.count, 5)
            XCTAssertTrue(a.warnings.isEmpty)
        }
    }

    /// A bad input among good ones: reported in the JSON with an error, the others analysed,
    /// the outcome counts the failure (the command exits with 1).
    func testOtherInputsGoOn() throws {
        let good = try VideoFixtures.clip(in: dir, name: "ok.mp4", size: "64x48", seconds: 1)
        let bad = dir.appendingPathComponent("bad.mp4").path
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: bad))
        var job = AnalyzeJob(inputs: [bad, dir.appendingPathComponent("missing.mp4").path, good])
        job.output = dir.appendingPathComponent("r.json").path
        job.showProgress = false
        let outcome = try job.run(predictor: VideoFixtures.predictor())
        XCTAssertEqual(outcome.analysed, 1)
        XCTAssertEqual(outcome.failed, 2)
        let preds = try XCTUnwrap(VideoFixtures.json(job.output!)["predictions"] as? [[String: Any]])
        XCTAssertEqual(preds.count, 3)
        XCTAssertNotNil(preds[0]["error"])
        XCTAssertNotNil(preds[1]["error"])
        XCTAssertNotNil(preds[2]["average_quality"])
    }
}
