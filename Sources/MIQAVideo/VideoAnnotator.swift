import Foundation
import Imaging
import MIQA
import Tensor

/// Writes an annotated copy of a video: every frame with `AnnotationSidebar` on its right,
/// the same frame rate and frame count, the source's audio.
///
/// Frames flow decoder -> producer thread (preprocessing the frames to score) -> bounded queue
/// -> model in batches -> sidebar and composition -> encoder, so FFmpeg's decoder and encoder
/// run beside the model. The file is written under a temporary name in the output folder and
/// renamed at the end: an interrupted or failed run never leaves a file that looks complete.
public final class VideoAnnotator {
    public let predictor: Predictor
    /// Score every `every`-th frame (1: all); frames between show the last score.
    public var every: Int
    public var batchSize: Int
    /// x264 preset (speed/size trade-off) and constant rate factor (quality).
    public var preset = "veryfast"
    public var crf = 18

    public init(predictor: Predictor, every: Int = 1, batchSize: Int = 8) {
        self.predictor = predictor
        self.every = max(1, every)
        self.batchSize = max(1, batchSize)
    }

    /// What an annotation run did.
    public struct Result: Sendable {
        public var output: String
        public var frames: Int
        public var scored: Int
        public var seconds: Double
        public var warnings: [String]
        public var framesPerSecond: Double { seconds > 0 ? Double(frames) / seconds : 0 }
    }

    /// The output name for `input` in `directory`: `<stem>_annotated.mp4`.
    public static func outputPath(for input: String, in directory: String) -> String {
        let stem = ((input as NSString).lastPathComponent as NSString).deletingPathExtension
        return (directory as NSString).appendingPathComponent("\(stem)_annotated.mp4")
    }

    /// Two inputs whose outputs would be the same file (`clip.mp4` and `clip.webm` both give
    /// `clip_annotated.mp4`), in input order; nil when every output is distinct. The same input
    /// named twice is not a clash.
    public static func outputCollision(for inputs: [String], in directory: String) -> (first: String, second: String, output: String)? {
        var seen: [String: String] = [:]
        for input in inputs {
            let output = outputPath(for: input, in: directory)
            if let first = seen[output] {
                if URL(fileURLWithPath: first).standardizedFileURL != URL(fileURLWithPath: input).standardizedFileURL {
                    return (first, input, output)
                }
            } else {
                seen[output] = input
            }
        }
        return nil
    }

    /// Annotates `input` into `output`. `progress` gets (frames done, total).
    public func annotate(_ input: String, to output: String, progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        let start = Date()
        let info = try VideoProbe.probe(input)
        guard URL(fileURLWithPath: output).standardizedFileURL != URL(fileURLWithPath: input).standardizedFileURL else {
            throw VideoError("the output would overwrite the input")
        }
        let task = predictor.card.task ?? "cls"
        // 4:2:0 needs even sizes: an odd width gets one more sidebar column, an odd height one
        // black row at the bottom, rather than scaling (and blurring) the picture.
        let sidebarWidth = AnnotationSidebar.standardWidth + (info.width % 2)
        let outWidth = info.width + sidebarWidth
        let outHeight = info.height + (info.height % 2)
        let sidebar = AnnotationSidebar(width: sidebarWidth, height: outHeight, task: task, totalFrames: info.frameCount)

        let directory = (output as NSString).deletingLastPathComponent
        let partial = (directory.isEmpty ? "." : directory as NSString).appendingPathComponent(
            ".\((output as NSString).lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier).mp4")
        let encoder = try FrameEncoder(output: partial, width: outWidth, height: outHeight, fps: info.fpsFraction,
                                       audioFrom: input, audioCodec: info.audioCodec, preset: preset, crf: crf)
        var finished = false
        defer {
            if !finished {
                encoder.cancel()
                try? FileManager.default.removeItem(atPath: partial)
            }
        }
        let reader = try FrameReader(path: input, info: info)

        // Producer: decoded frames, with model inputs for the frames that get a score.
        typealias Item = (index: Int, image: RGBImage, sample: [[Float]]?)
        let queue = BoundedQueue<Item>(capacity: 2 * batchSize)
        final class Failure: @unchecked Sendable { var error: Error? }
        let failure = Failure()
        let producerDone = DispatchSemaphore(value: 0)
        let preparation = predictor.preparation, every = self.every
        // The reader belongs to the producer thread from here on.
        let handed = Handoff(reader)
        Thread.detachNewThread {
            do {
                while let (index, image) = try handed.value.next() {
                    let sample = index % every == 0 ? preparation.prepare(image) : nil
                    if !queue.push((index, image, sample)) { break }
                }
            } catch { failure.error = error }
            queue.close()
            producerDone.signal()
        }
        var producerJoined = false
        defer { if !producerJoined { queue.close(); producerDone.wait() } }

        var frame = [UInt8](repeating: 0, count: outWidth * outHeight * 3)
        var pending: [Item] = []
        var lastScore: Double?
        var written = 0, scored = 0
        // Buffered frames are bounded too: with a large --every, a batch of scored frames would
        // otherwise hold every frame in between.
        let maxPending = max(batchSize * 2, 16)
        func flush() throws {
            let toScore = pending.filter { $0.sample != nil }
            var scores: [Int: Double] = [:]
            if !toScore.isEmpty {
                for (item, s) in zip(toScore, predictor.scores(toScore.map { $0.sample! })) { scores[item.index] = s }
                scored += toScore.count
            }
            for item in pending {
                if let s = scores[item.index] {
                    lastScore = s
                    sidebar.add(score: s, frame: item.index)
                }
                compose(item.image, sidebar.render(frame: item.index, score: lastScore), into: &frame, width: outWidth)
                try frame.withUnsafeBytes { try encoder.write($0) }
                written += 1
            }
            progress?(written, info.frameCount)
            pending.removeAll(keepingCapacity: true)
        }
        while let item = queue.pop() {
            pending.append(item)
            if pending.filter({ $0.sample != nil }).count >= batchSize || pending.count >= maxPending { try flush() }
        }
        try flush()
        producerDone.wait()
        producerJoined = true
        if let error = failure.error { throw error }
        let missing = info.frameCount - written
        _ = try? reader.finish()
        guard written > 0 else { throw VideoError("no frame could be decoded: \(reader.diagnostics)") }
        try encoder.finish()
        try? FileManager.default.removeItem(atPath: output)
        try FileManager.default.moveItem(atPath: partial, toPath: output)
        finished = true
        var warnings: [String] = []
        if missing > 0 {
            warnings.append("\(missing) of \(info.frameCount) frames could not be decoded (truncated or corrupt stream?)")
        }
        return Result(output: output, frames: written, scored: scored, seconds: Date().timeIntervalSince(start), warnings: warnings)
    }

    /// Copies `image` to the left of the output frame and `panel` to its right, row by row.
    /// Rows below the image (odd heights padded to even) stay black.
    private func compose(_ image: RGBImage, _ panel: RGBImage, into frame: inout [UInt8], width: Int) {
        let rowBytes = width * 3
        let imageRow = image.width * 3, panelRow = panel.width * 3
        frame.withUnsafeMutableBytes { dst in
            image.pixels.withUnsafeBytes { src in
                for y in 0..<image.height {
                    (dst.baseAddress! + y * rowBytes).copyMemory(from: src.baseAddress! + y * imageRow, byteCount: imageRow)
                }
            }
            panel.pixels.withUnsafeBytes { src in
                for y in 0..<panel.height {
                    (dst.baseAddress! + y * rowBytes + imageRow).copyMemory(from: src.baseAddress! + y * panelRow, byteCount: panelRow)
                }
            }
        }
    }
}
