import ArgumentParser
import Foundation
import Imaging
import MIQA

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure forward-pass throughput of an architecture (random weights and inputs).",
        discussion: "Prints images/s and ms/image (median over --iters runs after --warmup runs), and peak memory. See tools/bench/ for the side-by-side comparison with PyTorch.")

    @Option(help: "Architecture name.")
    var model: String = "resnet50"

    @Option(help: "Images per forward pass, 1...4096.")
    var batch: Int = 16

    @Option(help: "Timed iterations, 1...10000.")
    var iters: Int = 10

    @Option(help: "Untimed warm-up iterations, 0...1000.")
    var warmup: Int = 2

    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "Print one JSON line instead of text.")
    var json = false

    @Option(help: "Instead of a model: time every distortion on this image (resized to 500x375).")
    var distortions: String?

    func validate() throws {
        try NumericRange.check("--batch", batch, in: NumericRange.batchSize)
        try NumericRange.check("--iters", iters, in: 1...10_000)
        try NumericRange.check("--warmup", warmup, in: 0...1_000)
        if ModelRegistry.canonicalName(model) == nil {
            throw ValidationError("unknown --model '\(model)'; known: \(ModelRegistry.names.joined(separator: ", "))")
        }
        if let distortions { try PathCheck.readableFile(distortions, option: "--distortions") }
    }

    func run() throws {
        if let distortions {
            let image = try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: distortions))
            let sized = Resampling.resizeBilinear(image, width: 500, height: 375)
            print("distortion timings on a 500x375 image (best of 3; per type the slowest of candidates 0, 6, 11):")
            for (what, seconds) in try DistortionBenchmark.run(on: sized) {
                print("  " + what.padding(toLength: 56, withPad: " ", startingAt: 0) + String(format: " %7.1f ms", seconds * 1000))
            }
            return
        }
        let r = try Benchmark.run(model: model, batch: batch, threads: threadOptions.threads, iterations: iters, warmup: warmup)
        if json {
            let data = try JSONEncoder().encode(r)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "%@: batch %d, %d threads: %.1f images/s, %.2f ms/image (median %.1f ms, min %.1f ms per batch), peak RSS %.0f MB",
                         r.model as NSString, r.batch, r.threads, r.imagesPerSecond, r.msPerImage, r.medianMs, r.minMs, r.peakRSSMB))
        }
    }
}
