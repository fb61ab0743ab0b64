import ArgumentParser
import Foundation
import MIQA

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a predictor on labelled MIQD data: SRCC, PLCC, KRCC and RMSE against the machine labels.",
        discussion: """
            Reads the labelled distorted images of an MIQD-layout database (ROOT/images/, ROOT/labels/) for the \
            references of a split file, scores them, and compares the raw predictions with the labels over the whole \
            split, as the paper does (no logistic fitting). The PLCC after a 4-parameter logistic fit is reported \
            separately. Breakdowns by distortion type and by region configuration (uniform, fg_stronger, \
            bg_stronger) are read from the MIQD file names.

            Without --model and --weights the built-in default predictor is used (as by `miqa score`; it covers \
            --model-task cls and det with --model-label composite). An ImageNet classifier (efficientnet_lite*, mobilenet_v2) is refused: \
            it is not a quality predictor. --model names the predictor's architecture; the installed model used is miqa_<model>_<model-task>_<model-label> \
            (see `miqa weights list`), or --weights FILE loads a checkpoint directly. The predictor's task and label \
            default to the data's --task and --label. Cross-dataset evaluation is a model trained on one task's data \
            evaluated on another's: pass --model-task for the model and --task for the data.

            Writes to --out: predictions.csv (image_name, prediction, ground_truth, absolute_error, as the original), \
            metrics.json (overall, logistic fit, breakdowns, counts, model card name, split) and scatter.png \
            (predictions against labels with the fitted curve). Images that cannot be decoded are reported, left out \
            of every metric, and counted in metrics.json. Split references without label files are left out and listed.

            Exit status: 0 metrics written (even when some images failed: see the counts), 1 the results could not \
            be written, 2 usage errors, no usable model, or no labelled data (also label files with a header only).

            Examples:
              miqa evaluate --data miqa_cls --split miqa_cls_val.csv --model ra_miqa
              miqa evaluate --data miqa_det --task det --split miqa_det_val.csv \\
                  --model resnet50 --label consistency --out eval/det
              # cross-dataset: a detection-trained ViT-S on the ins data
              miqa evaluate --data miqa_ins --task ins --split miqa_det_val.csv \\
                  --model vit_small --model-task det
              miqa evaluate --data miqa_cls --weights best.safetensors --batch-size 32
            """
    )

    @Option(name: .customLong("data"), help: ArgumentHelp("Root of an MIQD-layout database (with images/ and labels/).", valueName: "root"))
    var dataRoot: String

    @Option(help: "Task of the data's labels: cls, det or ins.")
    var task: VisionTask = .cls

    @Option(help: ArgumentHelp("Official split CSV (e.g. miqa_cls_val.csv); without it every labelled reference is used.", valueName: "csv"))
    var split: String?

    @Option(name: [.long, .customLong("metric-type")], help: "Label to compare with: composite, consistency or accuracy.")
    var label: QualityLabel = .composite

    @OptionGroup var source: PredictorSource

    @Option(name: [.customLong("model-task"), .customLong("task-model")],
            help: ArgumentHelp("Task the predictor was trained for (default: --task); differs for cross-dataset evaluation.", valueName: "task"))
    var modelTask: VisionTask?

    @Option(help: ArgumentHelp("Label the predictor was trained for (default: --label).", valueName: "label"))
    var modelLabel: QualityLabel?

    @Option(help: ArgumentHelp("Folder for predictions.csv, metrics.json and scatter.png (default: miqa_results/eval_<model>_on_<task>_<label>).", valueName: "dir"))
    var out: String?

    @Option(help: "Images per forward pass, 1...4096.")
    var batchSize: Int = 8

    @Option(help: "Refuse images with more pixels than this (decompression bombs), 1...1000000000.")
    var maxPixels: Int = 178_956_970

    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "No progress bar on stderr (it is shown only on a terminal anyway).")
    var noProgress = false

    func validate() throws {
        try NumericRange.check("--batch-size", batchSize, in: NumericRange.batchSize)
        try NumericRange.check("--max-pixels", maxPixels, in: NumericRange.maxPixels)
        try PathCheck.inputFolder(dataRoot, option: "--data")
        if let split { try PathCheck.readableFile(split, option: "--split") }
        if let out { try PathCheck.outputFolder(out, option: "--out") }
    }

    func run() throws {
        threadOptions.apply()
        let root = URL(fileURLWithPath: dataRoot)
        let splitURL = split.map { URL(fileURLWithPath: $0) }
        let set: EvaluationSet
        do { set = try EvaluationSet.miqd(root: root, task: task.rawValue, label: label.rawValue, split: splitURL) } catch {
            printError("error: \(PathCheck.message(error))")
            throw ExitCode(2)
        }
        let predictor: Predictor
        do {
            predictor = try source.resolve(task: modelTask ?? task, label: modelLabel ?? label)
        } catch {
            printError("error: \(PathCheck.message(error))")
            throw ExitCode(2)
        }
        if !set.missingReferences.isEmpty {
            printError("warning: \(set.missingReferences.count) of \(set.splitReferences.count) split references have no label files; left out")
        }
        printError("evaluating \(predictor.card.name) on \(set.samples.count) \(task) images (\(label) labels)")

        var runner = EvaluationRun()
        runner.batchSize = batchSize
        runner.maxPixels = maxPixels
        runner.showProgress = !noProgress
        let result = runner.run(set, predictor: predictor)

        var context = EvaluationReport.Context(card: predictor.card, dataRoot: root.path, dataTask: task.rawValue, label: label.rawValue,
                                               splitFile: splitURL?.path)
        context.splitReferences = set.splitReferences
        context.missingReferences = set.missingReferences
        let report = EvaluationReport(result: result, context: context)
        let folder = URL(fileURLWithPath: out ?? "miqa_results/eval_\(predictor.card.name)_on_\(task)_\(label)")
        do {
            if out == nil { try PathCheck.outputFolder(folder.path, option: "output folder") }
            _ = try report.write(to: folder)
        } catch let refused as ValidationError {
            printError("error: \(refused.message)")
            throw ExitCode(1)
        } catch {
            printError("error: \(folder.path): cannot write the results: \(PathCheck.reason(error))")
            throw ExitCode(1)
        }
        print(report.table())
        print("\nwrote \(folder.path)/{\(EvaluationReport.predictionsFile),\(EvaluationReport.metricsFile),\(EvaluationReport.plotFile)}")
    }
}
