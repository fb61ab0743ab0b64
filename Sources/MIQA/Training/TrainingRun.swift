import Foundation
import Checkpoints
import Imaging
import Tensor

/// A training run of a MIQA predictor (the original's recipe, MIQA-FACTS section 5): AdamW,
/// cosine schedule per iteration with warm-up, random crops for training and centre crops for
/// validation, validation `validationsPerEpoch` times per epoch, the best-SRCC checkpoint and the
/// last one kept in `out/best/` and `out/last/`.
///
/// Determinism, so that `--resume` continues exactly: the sample order of epoch `e` is a seeded
/// shuffle of `(seed, e)`, a sample's crop is drawn from `(seed, e, position)`, dropout masks from
/// `(seed, step)`; the last checkpoint (`out/last/state.safetensors`, one file written
/// atomically) holds weights, BatchNorm statistics, AdamW moments, the step and the log. Every
/// file is written to a temporary name (model pairs through `ModelFiles`) and renamed, so a kill
/// at any moment leaves either the old or the new file; a kill between a model's weights and its
/// card leaves a pair whose checksum does not match, never one that loads as complete.
///
/// The run holds the output folder's `DirectoryLock` from `init` (before it reads the state to
/// resume) until it is released: a second `train` into the same folder waits for the first.
/// Temporaries that a killed run left in `out/`, `out/last/` and `out/best/` are removed then.
public final class TrainingRun {
    public let options: TrainingOptions
    public let config: ArchitectureConfig
    let model: TrainableModel
    let optimiser: AdamW
    var progress = TrainingProgress()
    let train: [(image: String, value: Double, reference: String)]
    let validation: [(image: String, value: Double, reference: String)]
    let views: [InputView]
    /// Held for the lifetime of the run (released on deinit).
    let outLock: DirectoryLock
    public var log: (String) -> Void = { FileHandle.standardError.write(($0 + "\n").data(using: .utf8)!) }
    public var showProgress = true

    var outURL: URL { URL(fileURLWithPath: options.out) }
    var lastState: URL { outURL.appendingPathComponent("last/state.safetensors") }

    public init(_ options: TrainingOptions, resume: Bool) throws {
        self.options = options
        let root = URL(fileURLWithPath: options.data)
        train = try MIQDLabels.load(root: root, task: options.task, label: options.label,
                                    references: MIQDSplits.load(URL(fileURLWithPath: options.trainSplit)))
        validation = try MIQDLabels.load(root: root, task: options.task, label: options.label,
                                         references: MIQDSplits.load(URL(fileURLWithPath: options.valSplit)))
        for (split, rows) in [(options.trainSplit, train), (options.valSplit, validation)] where rows.isEmpty {
            throw TrainingError.emptySplit(split: split, data: options.data)
        }
        var config: ArchitectureConfig
        if let c = options.configOverride {
            config = c
        } else {
            guard let c = ModelRegistry.config(named: options.model) else { throw TrainingError.unknownModel(options.model) }
            config = c
        }
        config.numOutputs = 1
        self.config = config
        var views = InputView.views(for: config)
        views[0].resize = options.imageSize
        views[0].crop = options.cropSize
        self.views = views
        optimiser = AdamW(weightDecay: Float(options.weightDecay))
        let out = URL(fileURLWithPath: options.out)
        try AtomicFile.makeDirectory(out)
        outLock = try DirectoryLock.acquire(out)
        for dir in [out, out.appendingPathComponent("last"), out.appendingPathComponent("best")] {
            StagingFolder.removeLeftovers(in: dir)
        }
        let saved = resume ? try? SafetensorsReader.read(URL(fileURLWithPath: options.out).appendingPathComponent("last/state.safetensors")) : nil
        if resume && saved == nil { throw TrainingError.nothingToResume(options.out) }
        if let saved {
            let meta = try SafetensorsReader.readMetadata(URL(fileURLWithPath: options.out).appendingPathComponent("last/state.safetensors"))
            let savedOptions = try TrainingRun.decoder.decode(TrainingOptions.self, from: Data((meta["options"] ?? "").utf8))
            guard savedOptions == options else { throw TrainingError.optionsChanged }
            progress = try TrainingRun.decoder.decode(TrainingProgress.self, from: Data((meta["progress"] ?? "").utf8))
            var weights: [String: Tensor] = [:], state: [String: Tensor] = [:]
            for (name, t) in saved.entries {
                let tensor = Tensor(shape: t.shape, values: t.values)
                if name.hasPrefix("adamw.") { state[name] = tensor } else { weights[name] = tensor }
            }
            model = try TrainableModels.build(config, weights: weights, headDropout: options.headDropout, stochasticDepth: options.stochasticDepth)
            optimiser.importState(state)
        } else {
            let weights = try TrainingRun.initialWeights(options, config)
            model = try TrainableModels.build(config, weights: weights, headDropout: options.headDropout, stochasticDepth: options.stochasticDepth)
        }
    }

    /// The starting weights: a checkpoint, the installed ImageNet EfficientNet-Lite0 with a fresh
    /// 1-output `_fc`, or fresh PyTorch-style initialisation.
    static func initialWeights(_ o: TrainingOptions, _ config: ArchitectureConfig) throws -> [String: Tensor] {
        switch o.initialisation {
        case .none:
            return FreshWeights.make(config, seed: o.seed)
        case .imagenet:
            guard ModelRegistry.canonicalName(o.model) == "efficientnet_lite0" else {
                throw TrainingError.noImageNetWeights(o.model)
            }
            let store = ModelStore()
            guard store.contains("efficientnet_lite0") else { throw TrainingError.imageNetNotInstalled }
            try store.card(named: "efficientnet_lite0").verifyWeights(at: store.weightsURL(for: "efficientnet_lite0"))
            var w = try WeightLoading.tensors(from: store.weightsURL(for: "efficientnet_lite0"))
            let fresh = FreshWeights.make(config, seed: o.seed)
            w["_fc.weight"] = fresh["_fc.weight"]
            w["_fc.bias"] = fresh["_fc.bias"]
            return w
        case let .checkpoint(path):
            var w = try WeightLoading.tensors(from: URL(fileURLWithPath: path))
            // The original's checkpoints are saved from DataParallel: `module.` prefixes.
            if w.keys.allSatisfy({ $0.hasPrefix("module.") }) {
                w = Dictionary(uniqueKeysWithValues: w.map { (String($0.key.dropFirst(7)), $0.value) })
            }
            return w
        }
    }

    var iterationsPerEpoch: Int { max(1, train.count / options.batchSize) }
    var batch: Int { min(options.batchSize, train.count) }

    /// Trains until the last epoch ends, or until `stopAfterStep` updates are done (then the last
    /// checkpoint is written exactly as a kill-and-resume test needs).
    public func run(stopAfterStep: Int? = nil) throws {
        try FileManager.default.createDirectory(at: outURL.appendingPathComponent("last"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outURL.appendingPathComponent("best"), withIntermediateDirectories: true)
        let iters = iterationsPerEpoch
        let total = iters * options.epochs
        let schedule = CosineSchedule(base: options.lr, warmupSteps: iters * options.warmupEpochs, totalSteps: total)
        let validateAt = Set((1...max(1, options.validationsPerEpoch)).map { Int((Double($0) * Double(iters) / Double(max(1, options.validationsPerEpoch))).rounded()) })
        let bar = ProgressBar(total: total, label: "train \(options.model)", enabled: showProgress)
        bar.advance(by: progress.step)
        while progress.step < total {
            let epoch = progress.step / iters, within = progress.step % iters
            let order = TrainingRun.shuffled(train.count, seed: options.seed &+ UInt64(epoch) &* 0x9E37)
            let indices = (0..<batch).map { order[within * batch + $0] }
            let lr = schedule.lr(at: progress.step)
            let (views, targets) = try loadBatch(indices, epoch: epoch, position: within * batch)
            let tape = Tape()
            let context = ForwardContext(tape: tape, training: true, dropoutSeed: options.seed &+ UInt64(progress.step) &* 0x51ED)
            let out = model.forward(views, context: context)
            let loss = options.loss(out, target: targets, tape: tape)
            for p in model.parameters { p.variable.zeroGrad() }
            tape.backward(from: loss)
            optimiser.update(model.parameters, lr: Float(lr))
            progress.step += 1
            progress.lossSum += Double(loss.value.values[0])
            progress.lossCount += 1
            bar.advance()
            if validateAt.contains(within + 1) {
                try validate(epoch: Double(progress.step) / Double(iters), lr: lr)
                try saveLast()
            }
            if let stopAfterStep, progress.step >= stopAfterStep {
                try saveLast()
                bar.finish()
                return
            }
        }
        bar.finish()
        try saveLast()
    }

    /// A seeded Fisher-Yates shuffle of `0..<n`.
    static func shuffled(_ n: Int, seed: UInt64) -> [Int] {
        var g = DropoutGenerator(seed: seed)
        var a = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { a.swapAt(i, Int(g.next() % UInt64(i + 1))) }
        return a
    }

    /// Decodes, resizes and crops a batch in parallel: random crops of the main view (seeded by
    /// epoch and position), the other views (RA-MIQA's region view) centred as in evaluation.
    func loadBatch(_ indices: [Int], epoch: Int, position: Int) throws -> ([Tensor], Tensor) {
        let root = URL(fileURLWithPath: options.data).appendingPathComponent("images")
        let tensors = views.map { Tensor(uninitializedShape: [indices.count, $0.crop, $0.crop, 3]) }
        let failures = ConcurrentResults<Error>(count: indices.count)
        let views = self.views, train = self.train, seed = options.seed
        DispatchQueue.concurrentPerform(iterations: indices.count) { i in
            do {
                let image = try ImageDecoder.decode(contentsOf: root.appendingPathComponent(train[indices[i]].image))
                var g = DropoutGenerator(seed: seed &+ UInt64(epoch) &* 0xA5A5 &+ UInt64(position + i) &* 0x1F3)
                for (v, view) in views.enumerated() {
                    let r = try Resampling.resizeShorterSide(image, to: view.resize)
                    let crop: RGBImage
                    if v == 0 {
                        let left = Int(g.next() % UInt64(r.width - view.crop + 1)), top = Int(g.next() % UInt64(r.height - view.crop + 1))
                        crop = Resampling.crop(r, left: left, top: top, width: view.crop, height: view.crop)
                    } else {
                        crop = Resampling.centerCrop(r, width: view.crop, height: view.crop)
                    }
                    Preprocess.normalizedHWC(crop, mean: (view.mean[0], view.mean[1], view.mean[2]), std: (view.std[0], view.std[1], view.std[2]),
                                             into: tensors[v].data + i * view.crop * view.crop * 3)
                }
            } catch {
                failures[i] = error
            }
        }
        if let failure = failures.values.compactMap({ $0 }).first { throw failure }
        return (tensors, Tensor(shape: [indices.count, 1], values: indices.map { Float(train[$0].value) }))
    }

    /// Scores the validation split with the inference model built from the current weights
    /// (BatchNorm folded, eval mode), logs SRCC/PLCC/KRCC/RMSE, keeps the best-SRCC checkpoint.
    func validate(epoch: Double, lr: Double) throws {
        let weights = model.exportWeights()
        let inference = try ModelRegistry.build(config, weights: weights)
        var card = ModelCard(name: ModelCard.storeName(model: options.model, task: options.task, label: options.label),
                             model: options.model, task: options.task, label: options.label, config: config, source: "miqa train")
        card.views = views
        let root = URL(fileURLWithPath: options.data).appendingPathComponent("images")
        var predictions: [Double] = []
        let preparation = ViewPreparation(views: views)
        for start in stride(from: 0, to: validation.count, by: options.batchSize) {
            let items = validation[start..<min(validation.count, start + options.batchSize)]
            let prepared = ConcurrentResults<[[Float]]>(count: items.count)
            DispatchQueue.concurrentPerform(iterations: items.count) { i in
                if let image = try? ImageDecoder.decode(contentsOf: root.appendingPathComponent(items[items.startIndex + i].image)) {
                    prepared[i] = preparation.prepare(image)
                }
            }
            let samples = prepared.values.map { $0 ?? [] }
            if samples.contains(where: { $0.isEmpty }) { throw TrainingError.unreadableValidationImage }
            let tensors: [Tensor] = views.enumerated().map { v, view in
                let per = view.crop * view.crop * 3
                let t = Tensor(uninitializedShape: [items.count, view.crop, view.crop, 3])
                for (i, sample) in samples.enumerated() {
                    sample[v].withUnsafeBufferPointer { (t.data + i * per).update(from: $0.baseAddress!, count: per) }
                }
                return t
            }
            let out = inference.forward(tensors)
            predictions += (0..<items.count).map { Double(out.data[$0 * out.shape[1]]) }
        }
        let truth = validation.map(\.value)
        let row = TrainingLogRow(step: progress.step, epoch: epoch,
                                 loss: progress.lossCount > 0 ? progress.lossSum / Double(progress.lossCount) : .nan, lr: lr,
                                 srcc: Correlation.srcc(predictions, truth), plcc: Correlation.plcc(predictions, truth),
                                 krcc: Correlation.krcc(predictions, truth), rmse: Correlation.rmse(predictions, truth))
        progress.log.append(row)
        progress.lossSum = 0; progress.lossCount = 0
        log(String(format: "step %d epoch %.2f loss %.5f lr %.3g  SRCC %.4f PLCC %.4f KRCC %.4f RMSE %.4f",
                   row.step, row.epoch, row.loss, row.lr, row.srcc, row.plcc, row.krcc, row.rmse))
        if row.srcc.isFinite && row.srcc > progress.bestSRCC {
            progress.bestSRCC = row.srcc
            try saveModel(weights, card: card, to: outURL.appendingPathComponent("best"), notes: ["step": "\(row.step)", "srcc": "\(row.srcc)"])
        }
        try writeLog()
    }

    private func saveModel(_ weights: [String: Tensor], card: ModelCard, to dir: URL, notes: [String: String]) throws {
        var dict = TensorDict()
        for name in weights.keys.sorted() { dict.set(name, StoredTensor(shape: weights[name]!.shape, values: weights[name]!.values)) }
        var card = card
        card.views = views
        card.notes = notes
        try ModelFiles.install(dict, metadata: ["format": "pt", "miqa_model": card.model], card: card, into: dir)
    }

    /// The last checkpoint: one safetensors file with weights and optimiser state, options and
    /// progress in its metadata (one atomic rename, so it is never half old, half new).
    func saveLast() throws {
        var dict = TensorDict()
        let weights = model.exportWeights()
        for name in weights.keys.sorted() { dict.set(name, StoredTensor(shape: weights[name]!.shape, values: weights[name]!.values)) }
        let state = optimiser.exportState()
        for name in state.keys.sorted() { dict.set(name, StoredTensor(shape: state[name]!.shape, values: state[name]!.values)) }
        let meta = ["options": String(decoding: try TrainingRun.encoder().encode(options), as: UTF8.self),
                    "progress": String(decoding: try TrainingRun.encoder().encode(progress), as: UTF8.self)]
        try ModelFiles.installSafetensors(dict, metadata: meta, to: lastState)
        let card = ModelCard(name: ModelCard.storeName(model: options.model, task: options.task, label: options.label),
                             model: options.model, task: options.task, label: options.label, config: config, source: "miqa train")
        try saveModel(weights, card: card, to: outURL.appendingPathComponent("last"), notes: ["step": "\(progress.step)"])
    }

    /// `metrics.jsonl` and `metrics.csv`, rewritten whole (atomically) from the log in the state.
    func writeLog() throws {
        let encoder = TrainingRun.encoder()
        encoder.outputFormatting = [.sortedKeys]
        let jsonl = try progress.log.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: "\n") + "\n"
        try AtomicFile.write(Data(jsonl.utf8), to: outURL.appendingPathComponent("metrics.jsonl"))
        let csv = ([TrainingLogRow.csvHeader] + progress.log.map(\.csv)).joined(separator: "\n") + "\n"
        try AtomicFile.write(Data(csv.utf8), to: outURL.appendingPathComponent("metrics.csv"))
    }

    /// JSON coders that write NaN and infinities (an undefined SRCC, no best yet) as strings.
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }()

    /// The current weights (for tests and callers that continue in memory).
    public func weights() -> [String: Tensor] { model.exportWeights() }
    public var step: Int { progress.step }
}

/// Problems that stop a training run before it starts.
public enum TrainingError: Error, CustomStringConvertible {
    case unknownModel(String)
    case noImageNetWeights(String)
    case imageNetNotInstalled
    case nothingToResume(String)
    case optionsChanged
    case emptySplit(split: String, data: String)
    case unreadableValidationImage

    public var description: String {
        switch self {
        case let .unknownModel(m): return "unknown model '\(m)'; one of \(ModelRegistry.names.joined(separator: ", "))"
        case let .noImageNetWeights(m):
            return "ImageNet weights for \(m) are not available offline (torchvision/timm downloads are unreachable here); use --init none or --init CHECKPOINT"
        case .imageNetNotInstalled:
            return "ImageNet EfficientNet-Lite0 is not installed; run `miqa weights fetch efficientnet_lite0` first"
        case let .nothingToResume(out): return "--resume: no \(out)/last/state.safetensors to resume from"
        case .optionsChanged: return "--resume: the options differ from the run being resumed"
        case let .emptySplit(split, data): return "\(split): selects no labelled images of \(data) (no reference of the split has a label file)"
        case .unreadableValidationImage: return "a validation image could not be read"
        }
    }
}
