import XCTest
import Imaging
import MIQA
@testable import MIQAVideo

/// Annotated videos checked with ffprobe: streams, size, frame count, duration.
final class AnnotateTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try VideoFixtures.folder()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func check(_ source: String, every: Int, audio: Bool, extraWidth: Int = 480, extraHeight: Int = 0) throws {
        let annotator = VideoAnnotator(predictor: try VideoFixtures.predictor(), every: every)
        let out = VideoAnnotator.outputPath(for: source, in: dir.appendingPathComponent("out").path)
        try FileManager.default.createDirectory(atPath: (out as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let result = try annotator.annotate(source, to: out)
        let src = try VideoFixtures.streams(source)
        let dst = try VideoFixtures.streams(out)
        let sv = try XCTUnwrap(src.first { $0["codec_type"] as? String == "video" })
        let dv = try XCTUnwrap(dst.first { $0["codec_type"] as? String == "video" })
        XCTAssertEqual(dst.filter { $0["codec_type"] as? String == "audio" }.count, audio ? 1 : 0)
        XCTAssertEqual(dst.count, audio ? 2 : 1)
        XCTAssertEqual(dv["codec_name"] as? String, "h264")
        XCTAssertEqual(dv["pix_fmt"] as? String, "yuv420p")
        XCTAssertEqual(dv["width"] as? Int, (sv["width"] as! Int) + extraWidth)
        XCTAssertEqual(dv["height"] as? Int, (sv["height"] as! Int) + extraHeight)
        XCTAssertEqual(dv["nb_read_frames"] as? String, sv["nb_read_frames"] as? String)
        XCTAssertEqual(dv["avg_frame_rate"] as? String, sv["avg_frame_rate"] as? String)
        let fps = VideoProbe.rate(sv["avg_frame_rate"] as! String)
        let d0 = Double(sv["duration"] as! String)!, d1 = Double(dv["duration"] as! String)!
        XCTAssertEqual(d1, d0, accuracy: 1 / fps + 1e-6)
        let frames = Int(sv["nb_read_frames"] as! String)!
        XCTAssertEqual(result.frames, frames)
        XCTAssertEqual(result.scored, (frames + every - 1) / every)
        // Nothing but the finished file is left in the folder.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: (out as NSString).deletingLastPathComponent),
                       [(out as NSString).lastPathComponent])
    }

    func testWithAudioEveryFrame() throws {
        let src = try VideoFixtures.clip(in: dir, name: "a.mp4", size: "96x64", seconds: 2, fps: 25, degradeAfter: 1, audio: true)
        try check(src, every: 1, audio: true)
    }

    func testWithoutAudioEveryThirdFrame() throws {
        let src = try VideoFixtures.clip(in: dir, name: "b.mp4", size: "160x120", seconds: 2, fps: 15)
        try check(src, every: 3, audio: false)
    }

    /// PCM audio (which MP4 cannot carry as is) is re-encoded; odd sizes are padded to even.
    func testOddSizeAndPCMAudio() throws {
        let src = try VideoFixtures.clip(in: dir, name: "c.mov", size: "64x48", seconds: 1, fps: 10, audio: true,
                                         extra: ["-vf", "scale=65:47", "-c:v", "libx264", "-pix_fmt", "yuv444p", "-c:a", "pcm_s16le"])
        try check(src, every: 2, audio: true, extraWidth: 481, extraHeight: 1)
    }

    /// The sidebar shows the score in its colour and the frame counter: look at one frame.
    func testSidebarPixels() throws {
        let sidebar = AnnotationSidebar(height: 240, task: "cls", totalFrames: 10)
        sidebar.add(score: 0.9, frame: 0)
        sidebar.add(score: 0.2, frame: 5)
        let panel = sidebar.render(frame: 5, score: 0.2)
        XCTAssertEqual(panel.width, 480)
        XCTAssertEqual(panel.height, 240)
        // Some pixels carry the score's (reddish) colour, and the background is black.
        let red = ScoreColor.color(for: 0.2)
        var reddish = 0
        for y in 0..<panel.height {
            for x in 0..<panel.width {
                let p = panel[x, y]
                if abs(Double(p.r) / 255 - red.r) < 0.08 && abs(Double(p.g) / 255 - red.g) < 0.08 && abs(Double(p.b) / 255 - red.b) < 0.08 {
                    reddish += 1
                }
            }
        }
        XCTAssertGreaterThan(reddish, 50)
        XCTAssertTrue(panel[479, 239] == (0, 0, 0))
    }

    /// A failing run leaves no file behind: here the source has no video stream.
    func testFailureLeavesNoFile() throws {
        let audio = dir.appendingPathComponent("audio.m4a").path
        try VideoFixtures.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", audio])
        var job = AnnotateJob(inputs: [audio])
        job.outputDirectory = dir.appendingPathComponent("out2").path
        job.showProgress = false
        let outcome = try job.run(predictor: VideoFixtures.predictor())
        XCTAssertEqual(outcome.failed, 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: job.outputDirectory), [])
    }
}
