import ArgumentParser
import Foundation
import MIQA
import Tensor

/// Which predictor to run.
struct ModelOptions: ParsableArguments {
    @Option(help: "Task the score is for: cls (classification), det (detection), ins (instance segmentation).")
    var task: VisionTask = .cls

    @Option(help: "Architecture: ra_miqa, resnet18, resnet50, efficientnet_b1, efficientnet_b5, vit_small_patch16_224 (vit_small). Without it (and --weights), the embedded default for --task cls or det (composite label) is used.")
    var model: String?

    @Option(name: [.long, .customLong("metric-type")], help: "Label the model predicts: composite, consistency or accuracy.")
    var label: QualityLabel = .composite

    @Option(help: "Weights file to use instead of an installed model (PyTorch .pth/.pth.tar or .safetensors).")
    var weights: String?

    func validate() throws {
        if let model, ModelRegistry.canonicalName(model) == nil {
            throw ValidationError("unknown --model '\(model)'; known: \(ModelRegistry.names.joined(separator: ", "))")
        }
        if let weights { try PathCheck.readableFile(weights, option: "--weights") }
    }

    /// `resolve()`, or a one-line error and exit status 2 (no usable model is a usage problem).
    func predictorOrExit() throws -> Predictor {
        do { return try resolve() } catch {
            printError("error: \(PathCheck.message(error))")
            throw ExitCode(2)
        }
    }

    /// The quality predictor to score with (the one check `score`, `evaluate` and `video` share).
    func resolve() throws -> Predictor {
        try ModelResolver.qualityPredictor(model: model, task: task.rawValue, label: label.rawValue, weights: weights.map { URL(fileURLWithPath: $0) })
    }
}

/// Compute threads for the kernels.
struct ThreadOptions: ParsableArguments {
    /// More threads than this only oversubscribe any machine this runs on; an unbounded count
    /// crashed OpenMP (100000 threads: SIGSEGV).
    static let range = 1...256

    @Option(help: "Compute threads, 1...256 (default: all cores).")
    var threads: Int = min(ProcessInfo.processInfo.activeProcessorCount, ThreadOptions.range.upperBound)

    func validate() throws {
        try NumericRange.check("--threads", threads, in: ThreadOptions.range)
    }

    func apply() { ComputeThreads.set(threads) }
}

/// Range checks for numeric options, with one wording for every command.
enum NumericRange {
    /// Images per forward pass: 4096 images of 224x224 are already 2.4 GB of input.
    static let batchSize = 1...4096
    /// Pixels of one decoded image: up to 1 gigapixel (3 GB of RGB).
    static let maxPixels = 1...1_000_000_000

    static func check(_ name: String, _ value: Int, in range: ClosedRange<Int>) throws {
        guard range.contains(value) else {
            throw ValidationError("\(name) must be in \(range.lowerBound)...\(range.upperBound) (got \(value))")
        }
    }

    static func check(_ name: String, _ value: Double, in range: ClosedRange<Double>) throws {
        guard value.isFinite, range.contains(value) else {
            throw ValidationError("\(name) must be a number in \(format(range.lowerBound))...\(format(range.upperBound)) (got \(value))")
        }
    }

    static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    // `try?`: a closed or full stderr must not crash the run (FileHandle.write(_:) traps on errors).
    try? FileHandle.standardError.write(contentsOf: Data((message + "\n").utf8))
}

/// Which downstream classifiers ("machines") a command runs: `dataset label` and `filtering`.
struct MachineOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Installed machines, comma-separated (miqa weights fetch NAME): ImageNet classifiers efficientnet_lite0, efficientnet_lite1, efficientnet_lite2, mobilenet_v2 (cls; default the three EfficientNet-Lites), detectors \(Detectors.names.joined(separator: ", ")) (det; default yolov3_tiny), or segmenters \(SegmenterFetch.sources.keys.sorted().joined(separator: ", ")) (ins; default u2netp).", valueName: "names"))
    var machines: String?

    static let classifierDefault = ["efficientnet_lite0", "efficientnet_lite1", "efficientnet_lite2"]
    static let detectorDefault = ["yolov3_tiny"]
    static let segmenterDefault = ["u2netp"]

    /// The classifiers named (the default when none are).
    var names: [String] { given ?? Self.classifierDefault }

    /// The detectors named (the default when none are).
    var detectorNames: [String] { given ?? Self.detectorDefault }

    private var given: [String]? {
        guard let machines else { return nil }
        return machines.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The kind of a machine name: "classifier", "detector", "segmenter", or nil when unknown.
    static func kind(of name: String) -> String? {
        if Detectors.isDetector(name) { return "detector" }
        if SegmenterFetch.sources[name] != nil { return "segmenter" }
        return PredictorMachine.isKnown(name) ? "classifier" : nil
    }

    func validate() throws {
        guard let given else { return }
        guard !given.isEmpty else { throw ValidationError("--machines is empty") }
        for m in given where Self.kind(of: m) == nil {
            throw ValidationError("unknown machine '\(m)'; one of \((PredictorMachine.knownNames + Detectors.names + SegmenterFetch.sources.keys.sorted()).joined(separator: ", "))")
        }
        let kinds = Set(given.compactMap(Self.kind))
        guard kinds.count == 1 else {
            throw ValidationError("--machines mixes \(kinds.sorted().map { $0 + "s" }.joined(separator: " and ")); a database is labelled by one kind")
        }
    }

    /// Whether the machines named are detectors.
    var areDetectors: Bool { given.map { $0.allSatisfy { Self.kind(of: $0) == "detector" } } ?? false }
    /// Whether the machines named are segmenters.
    var areSegmenters: Bool { given.map { $0.allSatisfy { Self.kind(of: $0) == "segmenter" } } ?? false }

    /// The installed classifiers, or a one-line error and exit status 2.
    func loadOrExit() throws -> [ClassifierMachine] {
        if areDetectors || areSegmenters {
            printError("error: --machines names \(areDetectors ? "detectors" : "segmenters"), but this needs ImageNet classifiers (\(PredictorMachine.knownNames.joined(separator: ", ")))")
            throw ExitCode(2)
        }
        do { return try PredictorMachine.installed(names) } catch {
            printError("error: \(PathCheck.message(error))")
            throw ExitCode(2)
        }
    }

    /// The installed detectors, or a one-line error and exit status 2.
    func loadDetectorsOrExit() throws -> [DetectorMachine] {
        if machines != nil && !areDetectors {
            printError("error: a det database is labelled by detectors (\(Detectors.names.joined(separator: ", "))), not \(areSegmenters ? "segmenters" : "classifiers")")
            throw ExitCode(2)
        }
        do { return try detectorNames.map { try Detectors.load($0) } } catch {
            printError("error: \(PathCheck.message(error))")
            throw ExitCode(2)
        }
    }

    /// The installed segmenters, or a one-line error and exit status 2.
    func loadSegmentersOrExit() throws -> [SegmenterMachine] {
        if machines != nil && !areSegmenters {
            printError("error: an ins database is labelled by segmenters (\(SegmenterFetch.sources.keys.sorted().joined(separator: ", "))), not \(areDetectors ? "detectors" : "classifiers")")
            throw ExitCode(2)
        }
        do { return try (given ?? Self.segmenterDefault).map { try SalientObjectSegmenter.load($0) } } catch {
            printError("error: \(PathCheck.message(error))")
            throw ExitCode(2)
        }
    }
}
