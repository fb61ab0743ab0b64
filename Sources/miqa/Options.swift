import ArgumentParser
import Foundation
import Imaging
import MIQA
import Tensor

/// Where a predictor comes from: an installed model by architecture, a weights file, or (neither)
/// the embedded default. Shared by `ModelOptions` and `evaluate` (whose --task and --label are the
/// data's, not the model's).
struct PredictorSource: ParsableArguments {
    @Option(help: "Architecture: ra_miqa, resnet18, resnet50, efficientnet_b1, efficientnet_b5, vit_small_patch16_224 (vit_small). Without it (and --weights), the embedded default for the task (cls or det, composite label) is used.")
    var model: String?

    @Option(help: "Weights file to use instead of an installed model (PyTorch .pth/.pth.tar or .safetensors).")
    var weights: String?

    func validate() throws {
        if let model, ModelRegistry.canonicalName(model) == nil {
            throw ValidationError("unknown --model '\(model)'; known: \(ModelRegistry.names.joined(separator: ", "))")
        }
        if let weights { try PathCheck.readableFile(weights, option: "--weights") }
    }

    /// The quality predictor for `task` and `label` from this source.
    func resolve(task: VisionTask, label: QualityLabel) throws -> Predictor {
        try ModelResolver.qualityPredictor(model: model, task: task.rawValue, label: label.rawValue, weights: weights.map { URL(fileURLWithPath: $0) })
    }
}

/// Which predictor to run.
struct ModelOptions: ParsableArguments {
    @Option(help: "Task the score is for: cls (classification), det (detection), ins (instance segmentation).")
    var task: VisionTask = .cls

    @OptionGroup var source: PredictorSource

    @Option(name: [.long, .customLong("metric-type")], help: "Label the model predicts: composite, consistency or accuracy.")
    var label: QualityLabel = .composite

    /// `resolve()`, or a one-line error and exit status 2 (no usable model is a usage problem).
    func predictorOrExit() throws -> Predictor {
        do { return try resolve() } catch {
            printError("error: \(PathCheck.message(error))")
            throw ExitCode(2)
        }
    }

    /// The quality predictor to score with (the one check `score`, `evaluate` and `video` share).
    func resolve() throws -> Predictor { try source.resolve(task: task, label: label) }
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

    @Option(name: .customLong("machine"), help: ArgumentHelp(
        "Your own machine as an ONNX file (repeatable; beside or instead of --machines).",
        discussion: "Run on miqa's engine (miqa onnx inspect FILE says whether it can). Its kind is --machine-kind; a classifier's input is made as torchvision's eval transform makes it (--machine-resize, --machine-input-size, --machine-mean, --machine-std), a segmenter's as rembg makes u2netp's. Named <file stem>-<SHA-256 prefix> in the labels and their record.",
        valueName: "FILE.onnx"))
    var files: [String] = []

    @Option(help: "Kind of the --machine files: classifier (cls databases) or segmenter (ins databases, a salient-object [1,3,S,S] -> [1,C,S,S] model).")
    var machineKind: ONNXMachineKind = .classifier

    @Option(help: "Classifier input side (centre crop), default the model's declared input side, else 224.")
    var machineInputSize: Int?

    @Option(help: "Shorter side the image is resized to before the crop (default input side x 256/224, as torchvision's eval transform).")
    var machineResize: Int?

    @Option(help: "Per-channel mean subtracted after scaling pixels to 0...1, three comma-separated numbers.")
    var machineMean: String = "0.485,0.456,0.406"

    @Option(help: "Per-channel divisor applied after the mean, three comma-separated positive numbers.")
    var machineStd: String = "0.229,0.224,0.225"

    @Option(help: "What the classifier answers: logits (softmax applied) or probabilities (rows must sum to 1).")
    var machineOutput: ONNXClassifierOutput = .logits

    static let classifierDefault = ["efficientnet_lite0", "efficientnet_lite1", "efficientnet_lite2"]
    static let detectorDefault = ["yolov3_tiny"]
    static let segmenterDefault = ["u2netp"]

    /// The installed classifiers named (the default when neither they nor files are given).
    var names: [String] { given ?? (files.isEmpty ? Self.classifierDefault : []) }

    /// The detectors named (the default when none are).
    var detectorNames: [String] { given ?? Self.detectorDefault }

    /// How many machines label: installed ones and files.
    var count: Int {
        switch files.isEmpty ? nil : machineKind {
        case nil: return (areSegmenters ? (given ?? Self.segmenterDefault) : areDetectors ? detectorNames : names).count
        case .classifier?: return names.count + files.count
        case .segmenter?: return (given ?? []).count + files.count
        }
    }

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
        for f in files { try PathCheck.readableFile(f, option: "--machine") }
        if let machineInputSize { try NumericRange.check("--machine-input-size", machineInputSize, in: 8...4096) }
        if let machineResize { try NumericRange.check("--machine-resize", machineResize, in: 8...8192) }
        _ = try Self.triple(machineMean, option: "--machine-mean", positive: false)
        _ = try Self.triple(machineStd, option: "--machine-std", positive: true)
        guard let given else { return }
        guard !given.isEmpty else { throw ValidationError("--machines is empty") }
        if !files.isEmpty, let other = given.first(where: { Self.kind(of: $0) != machineKind.rawValue }) {
            throw ValidationError("--machines \(other) is not a \(machineKind.rawValue) like the --machine files (--machine-kind \(machineKind.rawValue)); a database is labelled by one kind")
        }
        for m in given where Self.kind(of: m) == nil {
            throw ValidationError("unknown machine '\(m)'; one of \((PredictorMachine.knownNames + Detectors.names + SegmenterFetch.sources.keys.sorted()).joined(separator: ", "))")
        }
        let kinds = Set(given.compactMap(Self.kind))
        guard kinds.count == 1 else {
            throw ValidationError("--machines mixes \(kinds.sorted().map { $0 + "s" }.joined(separator: " and ")); a database is labelled by one kind")
        }
    }

    /// Whether the machines named are detectors.
    var areDetectors: Bool { files.isEmpty && (given.map { $0.allSatisfy { Self.kind(of: $0) == "detector" } } ?? false) }
    /// Whether the machines named (and files given) are segmenters.
    var areSegmenters: Bool {
        files.isEmpty ? given.map { $0.allSatisfy { Self.kind(of: $0) == "segmenter" } } ?? false : machineKind == .segmenter
    }

    /// Three comma-separated finite numbers (positive ones for `positive`).
    static func triple(_ text: String, option: String, positive: Bool) throws -> (Float, Float, Float) {
        let v = text.split(separator: ",").compactMap { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard v.count == 3, text.split(separator: ",").count == 3, v.allSatisfy({ $0.isFinite && (!positive || $0 > 0) }) else {
            throw ValidationError("\(option) must be three comma-separated \(positive ? "positive " : "")numbers (got '\(text)')")
        }
        return (v[0], v[1], v[2])
    }

    /// The --machine files as classifiers.
    private func fileClassifiers() throws -> [ClassifierMachine] {
        try files.map { path in
            try ONNXClassifierMachine(url: URL(fileURLWithPath: path), inputSide: machineInputSize, resize: machineResize,
                                      mean: Self.triple(machineMean, option: "--machine-mean", positive: false),
                                      std: Self.triple(machineStd, option: "--machine-std", positive: true),
                                      outputsLogits: machineOutput == .logits)
        }
    }

    /// The installed classifiers, or a one-line error and exit status 2.
    func loadOrExit() throws -> [ClassifierMachine] {
        if areDetectors || areSegmenters {
            printError("error: --machines names \(areDetectors ? "detectors" : "segmenters"), but this needs ImageNet classifiers (\(PredictorMachine.knownNames.joined(separator: ", ")))")
            throw ExitCode(2)
        }
        if !files.isEmpty && machineKind != .classifier {
            printError("error: --machine-kind \(machineKind.rawValue): this needs classifiers (a cls database)")
            throw ExitCode(2)
        }
        do { return try PredictorMachine.installed(names) + fileClassifiers() } catch {
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
        do {
            let installed = try (given ?? (files.isEmpty ? Self.segmenterDefault : [])).map { try SalientObjectSegmenter.load($0) }
            let own = try files.map { path in
                let url = URL(fileURLWithPath: path)
                return try SalientObjectSegmenter(name: url.deletingPathExtension().lastPathComponent + "-" + SHA256.hex(fileAt: url).prefix(8),
                                                  graph: ONNXGraph(contentsOf: url))
            }
            return installed + own
        } catch {
            printError("error: \(PathCheck.message(error))")
            throw ExitCode(2)
        }
    }
}
