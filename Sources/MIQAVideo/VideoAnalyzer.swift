import Foundation
import Imaging
import MIQA
import Tensor

/// Scores sampled frames of videos: probe, pick the frames, decode them in FFmpeg, preprocess
/// and score them in batches, aggregate per second.
///
/// Decoding (in the FFmpeg process) and preprocessing (on a producer thread here) run ahead of
/// the model through a small bounded queue, so the model rarely waits for frames: on a 10 s
/// 1080p H.264 file, 2.5-3.4% (RA-MIQA) and 8% (ResNet-50) of the wall time was spent outside
/// the forward passes (tools/video/README.md).
public final class VideoAnalyzer {
    public let scorer: FrameScorer
    /// Frames sampled per video (the original's `--video-frames`, default 50).
    public var framesPerVideo: Int
    /// Frames per forward pass.
    public var batchSize: Int
    /// FFmpeg decoder threads (nil: FFmpeg's default, one per core).
    public var decoderThreads: Int?
    /// Seconds spent inside the model (forward passes) during the last `analyze` call.
    public private(set) var inferenceSeconds = 0.0

    /// `scorer` is normally a `Predictor`; tests pass other scorers (e.g. a classifier's confidence).
    public init(scorer: FrameScorer, framesPerVideo: Int = 50, batchSize: Int = 8) {
        self.scorer = scorer
        self.framesPerVideo = framesPerVideo
        self.batchSize = max(1, batchSize)
    }

    /// Analyses one video. `progress` is advanced once per scored frame.
    public func analyze(_ path: String, progress: ((Int, Int) -> Void)? = nil) throws -> VideoAnalysis {
        inferenceSeconds = 0
        let info = try VideoProbe.probe(path)
        let indices = FrameSampling.uniform(total: info.frameCount, count: framesPerVideo)
        let reader = try FrameReader(path: path, info: info, indices: indices, decoderThreads: decoderThreads)

        // Producer: frames from the pipe, preprocessed into model inputs off the main thread.
        typealias Prepared = (index: Int, sample: [[Float]])
        let queue = BoundedQueue<Prepared>(capacity: 2 * batchSize)
        let producerDone = DispatchSemaphore(value: 0)
        final class Failure: @unchecked Sendable { var error: Error? }
        let failure = Failure()
        // The reader belongs to the producer thread from here on; `FrameScorer.prepare` is
        // documented as safe to call from it while the consumer scores.
        let handed = Handoff((reader: reader, scorer: self.scorer))
        Thread.detachNewThread {
            do {
                while let (index, image) = try handed.value.reader.next() {
                    if !queue.push((index, handed.value.scorer.prepare(image))) { break }
                }
            } catch { failure.error = error }
            queue.close()
            producerDone.signal()
        }

        var frames: [FrameScore] = []
        frames.reserveCapacity(indices.count)
        var batch: [Prepared] = []
        func flush() {
            guard !batch.isEmpty else { return }
            let start = DispatchTime.now().uptimeNanoseconds
            let scores = scorer.scores(batch.map(\.sample))
            inferenceSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            for (item, score) in zip(batch, scores) {
                frames.append(FrameScore(frameIndex: item.index, timestamp: info.timestamp(ofFrame: item.index), score: score))
            }
            progress?(frames.count, indices.count)
            batch.removeAll(keepingCapacity: true)
        }
        while let item = queue.pop() {
            batch.append(item)
            if batch.count == batchSize { flush() }
        }
        flush()
        producerDone.wait()
        if let error = failure.error { throw error }
        let missing = try reader.finish()
        var warnings: [String] = []
        if missing > 0 {
            let detail = reader.diagnostics
            warnings.append("\(missing) of \(indices.count) sampled frames could not be decoded (truncated or corrupt stream?)"
                            + (detail.isEmpty ? "" : ": \(detail)"))
        }
        return VideoAnalysis(path: path, info: info, frames: frames, warnings: warnings)
    }
}
