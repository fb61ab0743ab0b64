import XCTest
import Imaging
import MIQA
@testable import MIQAVideo

/// A degraded stretch of a video scores lower than a clean one: with the embedded default MIQA
/// predictor, and (the first version of this test, kept as a second witness) with a proxy for "how good is this frame for a
/// machine": the real EfficientNet-Lite0 ImageNet classifier's top-1 probability (its
/// confidence). Sharp frames of a recognisable photo get confident predictions; heavily blurred
/// ones do not. The proxy is used in this test only. Skipped unless the classifier is installed
/// (`miqa weights fetch efficientnet_lite0`, with MIQA_HOME set as for the other tests) and
/// scikit-image's `coffee.png` photo is available.
final class DegradationTests: XCTestCase {
    /// The classifier's max softmax probability as the frame's score.
    final class ConfidenceScorer: FrameScorer {
        let classifier: Predictor
        init(_ classifier: Predictor) { self.classifier = classifier }
        func prepare(_ image: RGBImage) -> [[Float]] { classifier.prepare(image) }
        func scores(_ samples: [[[Float]]]) -> [Double] {
            let logits = classifier.run(samples)
            let k = logits.count / samples.count
            return (0..<samples.count).map { i in
                let row = Array(UnsafeBufferPointer(start: logits.data + i * k, count: k))
                return Double(Classification.topK(logits: row, k: 1)[0].probability)
            }
        }
    }

    /// The blurred coffee clip of the test below, or nil (skip) without scikit-image's photo.
    private func blurredCoffeeClip(in dir: URL) throws -> String? {
        let python = try? ExternalTool.run("/usr/bin/env", ["python3", "-c", "import skimage.data, os; print(os.path.join(os.path.dirname(skimage.data.__file__), 'coffee.png'))"])
        let photo = python.map { String(decoding: $0.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard !photo.isEmpty, FileManager.default.fileExists(atPath: photo) else { return nil }
        let video = dir.appendingPathComponent("coffee.mp4").path
        // 3 s of the still photo at 10 fps, slowly panning so frames differ; from 1.5 s on, a strong blur.
        try VideoFixtures.ffmpeg(["-loop", "1", "-i", photo, "-t", "3", "-r", "10",
                                  "-filter_complex", "[0:v]crop=560:380:x='20*t/3':y=10,split[a][b];[b]gblur=sigma=14[bb];[a][bb]overlay=enable='gte(t,1.5)'[v]",
                                  "-map", "[v]", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "12", video])
        return video
    }

    func testBlurredStretchScoresLowerWithTheDefaultModel() throws {
        let predictor = try XCTUnwrap(try DefaultModel.load(), "the default model is missing from the bundle")
        let dir = try VideoFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let video = try blurredCoffeeClip(in: dir) else { throw XCTSkip("scikit-image's coffee.png not found") }
        let analysis = try VideoAnalyzer(scorer: predictor, framesPerVideo: 30).analyze(video)
        let clean = analysis.frames.filter { $0.timestamp < 1.4 }.map(\.score)
        let blurred = analysis.frames.filter { $0.timestamp >= 1.8 }.map(\.score)
        let cleanMean = clean.reduce(0, +) / Double(clean.count), blurredMean = blurred.reduce(0, +) / Double(blurred.count)
        XCTAssertGreaterThan(cleanMean, blurredMean + 0.1, "clean \(clean), blurred \(blurred)")
        XCTAssertGreaterThan(analysis.seconds.first!.mean, analysis.seconds.last!.mean)
    }

    func testBlurredStretchScoresLower() throws {
        let store = ModelStore()
        guard store.contains("efficientnet_lite0") else {
            throw XCTSkip("efficientnet_lite0 is not installed in \(store.root.path) (miqa weights fetch efficientnet_lite0)")
        }
        let python = try? ExternalTool.run("/usr/bin/env", ["python3", "-c", "import skimage.data, os; print(os.path.join(os.path.dirname(skimage.data.__file__), 'coffee.png'))"])
        let photo = python.map { String(decoding: $0.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard !photo.isEmpty, FileManager.default.fileExists(atPath: photo) else { throw XCTSkip("scikit-image's coffee.png not found") }

        let dir = try VideoFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let video = dir.appendingPathComponent("coffee.mp4").path
        // 3 s of the still photo at 10 fps, slowly panning so frames differ; from 1.5 s on, a strong blur.
        try VideoFixtures.ffmpeg(["-loop", "1", "-i", photo, "-t", "3", "-r", "10",
                                  "-filter_complex", "[0:v]crop=560:380:x='20*t/3':y=10,split[a][b];[b]gblur=sigma=14[bb];[a][bb]overlay=enable='gte(t,1.5)'[v]",
                                  "-map", "[v]", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "12", video])
        let classifier = try ModelResolver.resolve(model: "efficientnet_lite0", task: "cls", label: "composite", weights: nil, store: store)
        let analysis = try VideoAnalyzer(scorer: ConfidenceScorer(classifier), framesPerVideo: 30).analyze(video)
        let clean = analysis.frames.filter { $0.timestamp < 1.4 }.map(\.score)
        let blurred = analysis.frames.filter { $0.timestamp >= 1.8 }.map(\.score)
        let cleanMean = clean.reduce(0, +) / Double(clean.count), blurredMean = blurred.reduce(0, +) / Double(blurred.count)
        XCTAssertGreaterThan(cleanMean, blurredMean + 0.2, "clean \(clean), blurred \(blurred)")
        // Per second: the clean first second beats the blurred last one.
        XCTAssertGreaterThan(analysis.seconds.first!.mean, analysis.seconds.last!.mean)
        if let keep = ProcessInfo.processInfo.environment["MIQA_VIDEO_KEEP"] {
            try VideoChart.render(analysis, task: "cls", granularity: .both).pngData()
                .write(to: URL(fileURLWithPath: keep).appendingPathComponent("coffee_chart.png"))
        }
    }
}
