import Foundation
import XCTest
import Imaging
import MIQA
@testable import MIQAVideo

/// Short test videos made with the ffmpeg program in a temporary folder, ffprobe read-backs,
/// and a real (tiny) predictor.
enum VideoFixtures {
    /// A fresh temporary folder.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-video-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs ffmpeg with `arguments` (after `-nostdin -v error -y`), failing the test on error.
    static func ffmpeg(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let ffmpeg = try XCTUnwrap(ExternalTool.path(of: "ffmpeg"), "ffmpeg not installed", file: file, line: line)
        let r = try ExternalTool.run(ffmpeg, ["-nostdin", "-v", "error", "-y"] + arguments)
        guard r.status == 0 else { throw VideoError("ffmpeg \(arguments.joined(separator: " ")) failed: \(r.error)") }
    }

    /// A testsrc2 clip (a moving pattern with a frame counter, so every frame differs) of
    /// `size` and `seconds` at `fps`; from `degradeAfter` seconds on, heavily blurred; with a
    /// sine tone as AAC audio when `audio`. Extra output options go before the file name.
    static func clip(in dir: URL, name: String, size: String = "160x120", seconds: Double = 2, fps: Int = 25,
                     degradeAfter: Double? = nil, audio: Bool = false, extra: [String] = ["-c:v", "libx264", "-pix_fmt", "yuv420p"]) throws -> String {
        let out = dir.appendingPathComponent(name).path
        var args = ["-f", "lavfi", "-i", "testsrc2=size=\(size):rate=\(fps):duration=\(seconds)"]
        if audio { args += ["-f", "lavfi", "-i", "sine=frequency=440:duration=\(seconds)"] }
        if let t = degradeAfter {
            args += ["-filter_complex", "[0:v]split[a][b];[b]gblur=sigma=6[bb];[a][bb]overlay=enable='gte(t,\(t))'[v]", "-map", "[v]"]
        } else {
            args += ["-map", "0:v"]
        }
        if audio { args += ["-map", "1:a", "-c:a", "aac"] }
        try ffmpeg(args + extra + [out])
        return out
    }

    /// ffprobe's JSON for the streams of `path`.
    static func streams(_ path: String) throws -> [[String: Any]] {
        let ffprobe = try XCTUnwrap(ExternalTool.path(of: "ffprobe"))
        let r = try ExternalTool.run(ffprobe, ["-v", "error", "-count_frames", "-print_format", "json", "-show_streams", path])
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.output) as? [String: Any])
        return try XCTUnwrap(root["streams"] as? [[String: Any]])
    }

    /// The repository's tiny ResNet-18 (PyTorch random weights), as a predictor: fast enough for
    /// debug-build tests, and its scores differ from frame to frame.
    static func predictor() throws -> Predictor {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MIQATests/Fixtures/models/resnet18")
        let config = try ArchitectureConfig.load(dir.appendingPathComponent("config.json"))
        let model = try ModelRegistry.build(config, weights: WeightLoading.tensors(from: dir.appendingPathComponent("model.pth.tar")))
        return Predictor(model: model, card: ModelCard(name: "tiny", model: "resnet18", task: "cls", label: "composite",
                                                       config: config, source: "fixture"))
    }

    /// Parses a JSON file into dictionaries.
    static func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }
}
