import Foundation
import Imaging
import Tensor

/// Scores image files in batches. Results come back in input order; a file that cannot be read
/// or decoded becomes an `ImageScore` with an error and the run goes on. At most one batch is
/// decoded ahead (a one-deep bounded queue), so memory stays flat whatever the number of files.
///
/// When cores are left over by the compute threads, the next batch is decoded on them while the
/// model runs (`overlapDecoding`). When the model already uses every core, decoding beside it
/// oversubscribes the CPU, and OpenMP's barriers stall whenever one of its threads is preempted:
/// measured on 2 cores with ResNet-18, that halved throughput (30 vs 63 images/s). Then the next
/// batch is decoded on all cores between forward passes instead.
public final class ScoringPipeline {
    public let predictor: Predictor
    public let batchSize: Int
    public let maxPixels: Int
    /// Keep each decoded image with its result (for annotated output); costs memory per batch only.
    public var keepImages = false
    /// Decode the next batch while the model runs (default: only when cores are free for it).
    public var overlapDecoding = ProcessInfo.processInfo.activeProcessorCount > ComputeThreads.count

    public init(predictor: Predictor, batchSize: Int = 8, maxPixels: Int = ImageDecoder.defaultMaxPixels) {
        self.predictor = predictor
        self.batchSize = max(1, batchSize)
        self.maxPixels = maxPixels
    }

    /// One decoded-and-preprocessed batch.
    private struct Batch: Sendable {
        let paths: [String]
        let samples: [[[Float]]?]
        let images: [RGBImage?]
        let errors: [String?]
    }

    /// Decodes and prepares `paths` in parallel; each thread fills its own slot.
    private static func prepare(_ paths: [String], _ preparation: ViewPreparation, maxPixels: Int, keepImages: Bool) -> Batch {
        let results = ConcurrentResults<(sample: [[Float]]?, image: RGBImage?, error: String?)>(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            do {
                let decoded = try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: paths[i]), maxPixels: maxPixels)
                try preparation.validate(decoded)
                results[i] = (preparation.prepare(decoded), keepImages ? decoded : nil, nil)
            } catch {
                results[i] = (nil, nil, ImageScore.reason(error, path: paths[i]))
            }
        }
        let slots = results.values.map { $0! }
        return Batch(paths: paths, samples: slots.map(\.sample), images: slots.map(\.image), errors: slots.map(\.error))
    }

    /// Scores `paths` in order, calling `emit` with each result (and its decoded image when
    /// `keepImages` is set) as soon as its batch is done.
    public func run(_ paths: [String], emit: (ImageScore, RGBImage?) -> Void) {
        let batches = stride(from: 0, to: paths.count, by: batchSize).map { Array(paths[$0..<min(paths.count, $0 + batchSize)]) }
        guard !batches.isEmpty else { return }
        let decodeQueue = DispatchQueue(label: "miqa.score.decode", qos: .userInitiated)
        // The slot is written by the decode queue and read after `group.wait()`, never both at once.
        final class Slot: @unchecked Sendable { var batch: Batch? }
        let next = Slot()
        let group = DispatchGroup()
        let preparation = predictor.preparation, maxPixels = maxPixels, keepImages = keepImages
        func prefetch(_ index: Int) {
            guard index < batches.count else { return }
            let paths = batches[index]
            if overlapDecoding {
                decodeQueue.async(group: group) { next.batch = Self.prepare(paths, preparation, maxPixels: maxPixels, keepImages: keepImages) }
            } else {
                next.batch = Self.prepare(paths, preparation, maxPixels: maxPixels, keepImages: keepImages)
            }
        }
        prefetch(0)
        for index in batches.indices {
            group.wait()
            let batch = next.batch!
            next.batch = nil
            prefetch(index + 1)
            let good = batch.samples.indices.filter { batch.samples[$0] != nil }
            var scores: [Int: Float] = [:]
            if !good.isEmpty {
                // `.values` copies while the tensor is alive (reading `.data` of a local after its
                // last use would let ARC free it first).
                let out = predictor.run(good.map { batch.samples[$0]! }).values
                let k = out.count / good.count
                for (j, i) in good.enumerated() { scores[i] = out[j * k] }
            }
            for i in batch.paths.indices {
                emit(ImageScore(path: batch.paths[i], score: scores[i], error: batch.errors[i]), batch.images[i])
            }
        }
    }

    /// The same as a stream, for programs that embed the toolkit:
    /// `for await r in pipeline.results(for: paths) { ... }`. Scoring runs on a background thread.
    public func results(for paths: [String]) -> AsyncStream<ImageScore> {
        // The pipeline is handed to the scoring thread, which alone uses it until the stream ends.
        let pipeline = Handoff(self)
        return AsyncStream { continuation in
            let thread = Thread {
                pipeline.value.run(paths) { r, _ in continuation.yield(r) }
                continuation.finish()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
