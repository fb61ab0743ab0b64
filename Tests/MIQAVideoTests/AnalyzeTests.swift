import XCTest
import Imaging
import MIQA
@testable import MIQAVideo

/// `miqa video analyze` end to end on videos made by ffmpeg: sampled indices, exact frames,
/// the original's JSON and aggregation, charts.
final class AnalyzeTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try VideoFixtures.folder()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func testJSONFollowsSamplingAndAggregation() throws {
        let video = try VideoFixtures.clip(in: dir, name: "clip.mp4", size: "96x64", seconds: 3, fps: 25, degradeAfter: 1.5,
                                           audio: true)
        var job = AnalyzeJob(inputs: [video])
        job.frames = 17
        job.output = dir.appendingPathComponent("out.json").path
        job.showProgress = false
        let outcome = try job.run(predictor: VideoFixtures.predictor())
        XCTAssertEqual(outcome.analysed, 1)
        XCTAssertEqual(outcome.failed, 0)

        let root = try VideoFixtures.json(job.output!)
        let meta = try XCTUnwrap(root["metadata"] as? [String: Any])
        XCTAssertEqual(meta["task"] as? String, "cls")
        XCTAssertEqual(meta["total_files"] as? Int, 1)
        let v = try XCTUnwrap((root["predictions"] as? [[String: Any]])?.first)
        XCTAssertEqual(v["type"] as? String, "video")
        XCTAssertEqual(v["video_name"] as? String, "clip.mp4")
        let m = try XCTUnwrap(v["metadata"] as? [String: Any])
        XCTAssertEqual(m["total_frames"] as? Int, 75)
        XCTAssertEqual(m["fps"] as? Double, 25)
        XCTAssertEqual(m["duration"] as? Double, 3)
        XCTAssertEqual(m["width"] as? Int, 96)
        XCTAssertEqual(m["height"] as? Int, 64)

        let frames = try XCTUnwrap(v["frame_results"] as? [[String: Any]])
        let indices = frames.compactMap { $0["frame_index"] as? Int }
        XCTAssertEqual(indices, (0..<17).map { Int(Double($0) * 75.0 / 17.0) })
        for f in frames {
            XCTAssertEqual(f["timestamp"] as! Double, Double(f["frame_index"] as! Int) / 25, accuracy: 1e-12)
        }
        XCTAssertEqual(v["num_frames_analyzed"] as? Int, 17)

        // Recompute the aggregation from frame_results, independently of SecondAggregation.
        var groups: [Int: [Double]] = [:]
        for f in frames { groups[Int(f["timestamp"] as! Double), default: []].append(f["quality_score"] as! Double) }
        let seconds = try XCTUnwrap(v["per_second_results"] as? [[String: Any]])
        XCTAssertEqual(seconds.map { $0["second"] as! Int }, groups.keys.sorted())
        XCTAssertEqual(v["num_seconds"] as? Int, groups.count)
        var means: [Double] = []
        for s in seconds {
            let scores = groups[s["second"] as! Int]!
            let mean = scores.reduce(0, +) / Double(scores.count)
            let std = (scores.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(scores.count)).squareRoot()
            XCTAssertEqual(s["timestamp"] as! Double, Double(s["second"] as! Int))
            XCTAssertEqual(s["quality_score"] as! Double, mean, accuracy: 1e-9)
            XCTAssertEqual(s["min_score"] as! Double, scores.min()!)
            XCTAssertEqual(s["max_score"] as! Double, scores.max()!)
            XCTAssertEqual(s["num_frames"] as? Int, scores.count)
            XCTAssertEqual(s["std_score"] as! Double, scores.count > 1 ? std : 0, accuracy: 1e-9)
            means.append(mean)
        }
        let avg = means.reduce(0, +) / Double(means.count)
        XCTAssertEqual(v["average_quality"] as! Double, avg, accuracy: 1e-9)
        XCTAssertEqual(v["min_quality"] as! Double, means.min()!, accuracy: 1e-12)
        XCTAssertEqual(v["max_quality"] as! Double, means.max()!, accuracy: 1e-12)
        let std = (means.map { ($0 - avg) * ($0 - avg) }.reduce(0, +) / Double(means.count)).squareRoot()
        XCTAssertEqual(v["std_quality"] as! Double, std, accuracy: 1e-9)
    }

    /// The frames read through the select filter are exactly the frames a plain full decode
    /// (to lossless PNGs) gives at those positions, and score the same as those images.
    func testSampledFramesAreTheExactFrames() throws {
        let video = try VideoFixtures.clip(in: dir, name: "exact.mp4", size: "64x48", seconds: 2, fps: 25)
        try VideoFixtures.ffmpeg(["-i", video, "-fps_mode", "passthrough", dir.appendingPathComponent("f%03d.png").path])
        let info = try VideoProbe.probe(video)
        let wanted = FrameSampling.uniform(total: info.frameCount, count: 7)
        let reader = try FrameReader(path: video, info: info, indices: wanted)
        let predictor = try VideoFixtures.predictor()
        var seen: [Int] = []
        while let (index, image) = try reader.next() {
            let png = dir.appendingPathComponent(String(format: "f%03d.png", index + 1))
            let expected = try ImageDecoder.decode(contentsOf: png)
            XCTAssertEqual(image, expected, "frame \(index)")
            XCTAssertEqual(predictor.scores([image]), predictor.scores([expected]))
            seen.append(index)
        }
        XCTAssertEqual(try reader.finish(), 0)
        XCTAssertEqual(seen, wanted)
    }

    /// More samples than frames: every frame, as the original.
    func testShortVideoUsesEveryFrame() throws {
        let video = try VideoFixtures.clip(in: dir, name: "short.mp4", size: "64x48", seconds: 0.4, fps: 25)
        let analysis = try VideoAnalyzer(scorer: VideoFixtures.predictor(), framesPerVideo: 50).analyze(video)
        XCTAssertEqual(analysis.frames.map(\.frameIndex), Array(0..<10))
    }

    func testChartsHaveTheExpectedSizes() throws {
        let video = try VideoFixtures.clip(in: dir, name: "chart.mp4", size: "64x48", seconds: 2, fps: 10)
        var job = AnalyzeJob(inputs: [video])
        job.frames = 20
        job.plotDirectory = dir.appendingPathComponent("plots").path
        job.showProgress = false
        for g in ChartGranularity.allCases {
            job.granularity = g
            XCTAssertEqual(try job.run(predictor: VideoFixtures.predictor()).analysed, 1)
            let file = dir.appendingPathComponent("plots/chart_composite_quality_\(g.fileSuffix).png")
            let image = try ImageDecoder.decode(contentsOf: file)
            XCTAssertEqual(image.width, g == .both ? 2000 : 1400)
        }
    }

    /// Images among the inputs are scored as images, with the original's image fields.
    func testImagesAndFoldersMix() throws {
        let sub = dir.appendingPathComponent("mixed")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        _ = try VideoFixtures.clip(in: sub, name: "b.mp4", size: "64x48", seconds: 1, fps: 10)
        let img = RGBImage(width: 40, height: 30, pixels: (0..<3600).map { UInt8($0 % 251) })
        try ImageEncoder.png(img).write(to: sub.appendingPathComponent("a.png"))
        var job = AnalyzeJob(inputs: [sub.path])
        job.output = dir.appendingPathComponent("mixed.json").path
        job.showProgress = false
        XCTAssertEqual(try job.run(predictor: VideoFixtures.predictor()).analysed, 2)
        let preds = try XCTUnwrap(VideoFixtures.json(job.output!)["predictions"] as? [[String: Any]])
        XCTAssertEqual(preds.map { $0["type"] as? String }, ["image", "video"])
        XCTAssertEqual(preds[0]["image_name"] as? String, "a.png")
        XCTAssertNotNil(preds[0]["quality_score"] as? Double)
    }
}
