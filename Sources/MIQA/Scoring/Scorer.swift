import Foundation
import Imaging

/// Scores image files in batches: files of a batch are decoded and preprocessed in parallel,
/// then run through the model together. A file that cannot be read or decoded becomes an
/// `ImageScore` with an error; the others are scored.
public struct Scorer {
    public let predictor: Predictor
    public var batchSize: Int
    public var maxPixels: Int

    public init(predictor: Predictor, batchSize: Int = 8, maxPixels: Int = ImageDecoder.defaultMaxPixels) {
        self.predictor = predictor
        self.batchSize = max(1, batchSize)
        self.maxPixels = maxPixels
    }

    /// Scores `paths` in order, calling `emit` for each result as soon as its batch is done.
    public func score(_ paths: [String], emit: (ImageScore) -> Void) {
        for start in stride(from: 0, to: paths.count, by: batchSize) {
            let batch = Array(paths[start..<min(paths.count, start + batchSize)])
            var prepared = [Result<[[Float]], Error>?](repeating: nil, count: batch.count)
            let lock = NSLock()
            DispatchQueue.concurrentPerform(iterations: batch.count) { i in
                let r = Result { () throws -> [[Float]] in
                    let image = try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: batch[i]), maxPixels: maxPixels)
                    return predictor.prepare(image)
                }
                lock.lock(); prepared[i] = r; lock.unlock()
            }
            let good = prepared.enumerated().compactMap { i, r -> (Int, [[Float]])? in
                if case let .success(s) = r { return (i, s) } else { return nil }
            }
            var scores: [Int: Float] = [:]
            if !good.isEmpty {
                let out = predictor.run(good.map(\.1))
                let k = out.count / good.count
                for (j, (i, _)) in good.enumerated() { scores[i] = out.data[j * k] }
            }
            for (i, path) in batch.enumerated() {
                if case let .failure(error) = prepared[i] {
                    emit(ImageScore(path: path, score: nil, error: "\(error)"))
                } else {
                    emit(ImageScore(path: path, score: scores[i]))
                }
            }
        }
    }
}
