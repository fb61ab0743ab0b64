import Foundation
import Tensor

/// `miqa bench`: forward-pass throughput of an architecture on random weights and inputs.
public enum Benchmark {
    public struct Result: Codable, Sendable {
        public var model: String
        public var batch: Int
        public var threads: Int
        public var iterations: Int
        public var medianMs: Double
        public var minMs: Double
        public var imagesPerSecond: Double
        public var msPerImage: Double
        public var peakRSSMB: Double

        enum CodingKeys: String, CodingKey {
            case model, batch, threads, iterations, medianMs = "median_ms", minMs = "min_ms"
            case imagesPerSecond = "images_per_s", msPerImage = "ms_per_image", peakRSSMB = "peak_rss_mb"
        }
    }

    /// Times `iterations` forward passes of `model` at `batch` after `warmup` untimed ones.
    public static func run(model name: String, batch: Int, threads: Int, iterations: Int, warmup: Int = 2) throws -> Result {
        guard let canonical = ModelRegistry.canonicalName(name), let config = ModelRegistry.config(named: canonical) else {
            throw ModelNotAvailable(description: "unknown model '\(name)'; known: \(ModelRegistry.names.joined(separator: ", "))")
        }
        ComputeThreads.set(threads)
        let model = try ModelRegistry.buildRandom(config)
        let views = InputView.views(for: config).enumerated().map { i, v -> Tensor in
            let t = Tensor(uninitializedShape: [batch, v.crop, v.crop, 3])
            var s: UInt64 = 0x2545F4914F6CDD1D &+ UInt64(i)
            for j in 0..<t.count {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17
                t.data[j] = Float(s % 2001) / 1000 - 1
            }
            return t
        }
        for _ in 0..<warmup { _ = model.forward(views) }
        var times: [Double] = []
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = model.forward(views)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        let median = times[times.count / 2]
        return Result(model: canonical, batch: batch, threads: threads, iterations: iterations, medianMs: median,
                      minMs: times[0], imagesPerSecond: Double(batch) / (median / 1000), msPerImage: median / Double(batch),
                      peakRSSMB: ProcessMemory.peakResidentMB())
    }
}

/// The process's peak resident memory (Linux `VmHWM`), for memory targets.
public enum ProcessMemory {
    public static func peakResidentMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kb / 1024
        }
        return 0
    }
}
