import ArgumentParser
import Foundation
import MIQA
import Tensor

/// `miqa train`: training (the default subcommand, `run`) and its benchmark (`bench`).
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a predictor on MIQD data, or time training steps (`miqa train bench`).",
        subcommands: [TrainRun.self, TrainBench.self],
        defaultSubcommand: TrainRun.self
    )
}

/// `miqa train [run]`: trains a MIQA predictor on an MIQD folder with the original's recipe.
struct TrainRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train a predictor on MIQD data (AdamW, cosine schedule with warm-up, best-SRCC checkpoint).",
        discussion: """
            Writes OUT/best/model.safetensors + model.json (best validation SRCC), OUT/last/ (the latest \
            weights and state.safetensors with the optimiser state for --resume), and OUT/metrics.jsonl / \
            metrics.csv (step, epoch, loss, lr, SRCC, PLCC, KRCC, RMSE per validation). Every file is written \
            atomically. --init imagenet is available for efficientnet_lite0 only (run `miqa weights fetch \
            efficientnet_lite0` first); ImageNet weights for the other architectures are not available offline, \
            so use --init none or --init CHECKPOINT.
            """
    )

    @Option(help: "MIQD root folder (images/, labels/).") var data: String
    @Option(help: "Task: cls, det or ins.") var task: VisionTask
    @Option(help: "Split CSV of the training references.") var trainSplit: String
    @Option(help: "Split CSV of the validation references.") var valSplit: String
    @Option(help: "Label: composite, consistency or accuracy.") var label: QualityLabel = .composite
    @Option(help: "Architecture (resnet18, resnet50, efficientnet_b1, efficientnet_b5, vit_small_patch16_224, ra_miqa, efficientnet_lite0/1/2).")
    var model: String
    @Option(name: .customLong("init"), help: "Starting weights: imagenet (efficientnet_lite0 only), none, or a checkpoint file.")
    var initialisation: TrainingInitialisation = .none
    @Option(help: "Loss: mse, huber (SmoothL1, beta 0.5) or l1.") var loss: Loss = .mse
    @Option(help: "Images per step, 2...4096.") var batchSize: Int = 256
    @Option(help: "Epochs, 1...10000.") var epochs: Int = 5
    @Option(help: "Linear warm-up epochs (from 5e-6), 0 or below --epochs.") var warmupEpochs: Int = 1
    @Option(help: "Peak learning rate, above 0 and at most 10.") var lr: Double = 1e-4
    @Option(help: "AdamW weight decay (weights only), 0...10.") var weightDecay: Double = 1e-4
    @Option(help: "Validations per epoch, 1...1000.") var validationsPerEpoch: Int = 2
    @Option(help: "Shorter side the images are resized to, --crop-size...2048.") var imageSize: Int = 288
    @Option(help: "Side of the (random in training, centred in validation) crop, 32...2048.") var cropSize: Int = 224
    @Option(help: "Seed of shuffling, crops and dropout (any 64-bit unsigned integer).") var seed: UInt64 = 1_234_567
    @OptionGroup var threads: ThreadOptions
    @Option(help: "Output folder.") var out: String
    @Flag(help: "Continue the run in OUT from its last checkpoint.") var resume = false
    @Flag(help: "No progress bar.") var noProgress = false

    func validate() throws {
        // BatchNorm needs a batch of 2; 4096 images of 224 px are 2.4 GB of input alone.
        try NumericRange.check("--batch-size", batchSize, in: 2...NumericRange.batchSize.upperBound)
        try NumericRange.check("--epochs", epochs, in: 1...10_000)
        guard warmupEpochs >= 0, warmupEpochs < epochs || warmupEpochs == 0 else {
            throw ValidationError("--warmup-epochs must be 0 or below --epochs (got \(warmupEpochs))")
        }
        try NumericRange.check("--validations-per-epoch", validationsPerEpoch, in: 1...1_000)
        // 32: the smallest crop every architecture's downsampling accepts (stride 32).
        try NumericRange.check("--crop-size", cropSize, in: 32...2_048)
        try NumericRange.check("--image-size", imageSize, in: cropSize...2_048)
        guard lr.isFinite, lr > 0, lr <= 10 else { throw ValidationError("--lr must be a number above 0 and at most 10 (got \(lr))") }
        try NumericRange.check("--weight-decay", weightDecay, in: 0...10)
        guard ModelRegistry.canonicalName(model) != nil else { throw ValidationError("unknown --model \(model)") }
        try PathCheck.outputFolder(out, option: "--out")
    }

    func run() throws {
        threads.apply()
        var o = TrainingOptions(data: data, task: task.rawValue, trainSplit: trainSplit, valSplit: valSplit,
                                model: ModelRegistry.canonicalName(model) ?? model, out: out)
        o.label = label.rawValue; o.initialisation = initialisation; o.loss = loss; o.batchSize = batchSize; o.epochs = epochs
        o.warmupEpochs = warmupEpochs; o.lr = lr; o.weightDecay = weightDecay; o.validationsPerEpoch = validationsPerEpoch
        o.imageSize = imageSize; o.cropSize = cropSize; o.seed = seed
        let run = try TrainingRun(o, resume: resume)
        run.showProgress = !noProgress
        try run.run()
    }
}

/// `miqa train bench`: images per second of training steps (forward, backward, AdamW update) on
/// random data, one JSON line per measurement, for `tools/training/bench_train.py`.
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time training steps (forward + backward + AdamW) on random data; prints JSON."
    )

    @Option(help: "Architecture.") var model: String = "resnet18"
    @Option(help: "Images per step, 2...4096 (BatchNorm needs 2).") var batchSize: Int = 32
    @Option(help: "Timed steps (after one warm-up step), 1...10000.") var steps: Int = 3
    @OptionGroup var threads: ThreadOptions
    @Flag(help: "Print forward / backward / update times per step to standard error.") var profile = false

    func validate() throws {
        // A batch of 0 divided by zero in BatchNorm (SIGFPE); of 1, BatchNorm's variance is undefined.
        try NumericRange.check("--batch-size", batchSize, in: 2...NumericRange.batchSize.upperBound)
        try NumericRange.check("--steps", steps, in: 1...10_000)
        guard ModelRegistry.canonicalName(model) != nil else {
            throw ValidationError("unknown --model '\(model)'; known: \(ModelRegistry.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        threads.apply()
        let times = try TrainingBenchmark.stepTimes(model: ModelRegistry.canonicalName(model) ?? model, batch: batchSize, steps: steps,
                                                    profile: profile ? { printError($0) } : nil)
        let sorted = times.sorted()
        guard !sorted.isEmpty else { throw ExitCode(1) }
        let median = sorted[sorted.count / 2]
        let json: [String: Any] = ["model": model, "batch": batchSize, "threads": threads.threads, "step_seconds": times,
                                   "median_images_per_second": Double(batchSize) / median]
        print(String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self))
    }
}
