import ArgumentParser
import Foundation
import MIQA
import Tensor

/// Which predictor to run.
struct ModelOptions: ParsableArguments {
    @Option(help: "Task the score is for: cls (classification), det (detection), ins (instance segmentation).")
    var task: String = "cls"

    @Option(help: "Architecture: ra_miqa, resnet18, resnet50, efficientnet_b1, efficientnet_b5, vit_small_patch16_224 (vit_small).")
    var model: String?

    @Option(name: [.long, .customLong("metric-type")], help: "Label the model predicts: composite, consistency or accuracy.")
    var label: String = "composite"

    @Option(help: "Weights file to use instead of an installed model (PyTorch .pth/.pth.tar or .safetensors).")
    var weights: String?

    func validate() throws {
        guard ModelResolver.tasks.contains(task) else { throw ValidationError("--task must be one of cls, det, ins (got '\(task)')") }
        guard ModelResolver.labels.contains(label) else {
            throw ValidationError("--label must be one of composite, consistency, accuracy (got '\(label)')")
        }
        if let model, ModelRegistry.canonicalName(model) == nil {
            throw ValidationError("unknown --model '\(model)'; known: \(ModelRegistry.names.joined(separator: ", "))")
        }
    }

    /// `resolve()`, or a one-line error and exit status 2 (no usable model is a usage problem).
    func predictorOrExit() throws -> Predictor {
        do { return try resolve() } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }

    /// The predictor to score with; a multi-output model (an ImageNet classifier) is refused.
    func resolve() throws -> Predictor {
        let predictor = try ModelResolver.resolve(model: model, task: task, label: label, weights: weights.map { URL(fileURLWithPath: $0) })
        let outputs = predictor.model.config.numOutputs
        guard outputs == 1 else {
            throw ModelNotAvailable(description: """
                \(predictor.card.name) has \(outputs) outputs: it is an ImageNet classifier, not a MIQA quality \
                predictor. Use `miqa classify` for its classes, or name a predictor (see `miqa weights list`).
                """)
        }
        return predictor
    }
}

/// Compute threads for the kernels.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Compute threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func apply() { ComputeThreads.set(threads) }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
