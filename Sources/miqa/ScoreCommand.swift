import ArgumentParser
import Foundation
import MIQA

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score images and folders: how good is each image for a machine (about 0..1, higher is better).",
        discussion: """
            Each INPUT is an image file, a folder (its .jpg .jpeg .png .bmp .tif .tiff .webp files, any case), \
            or - to read a list of paths from standard input. Images are preprocessed exactly as the original \
            MIQA code does (shorter side to 288, centre crop 224; RA-MIQA also reads a 288x288 view).

            Scores are the model's raw regression output, as in the original: higher is better for the \
            machine, the training labels lie in 0...1, but nothing bounds the output, so a sharp clean \
            photo can score a little above 1 and a ruined one below 0. Read them as a ranking; pick a \
            threshold for your data with `miqa filtering`.

            Files that cannot be scored (missing, empty, truncated, not an image, too many pixels, FIFOs and \
            devices, names that are not UTF-8, shown with \\x escapes) get a \
            one-line error on stderr and a row with an error in the results; the run goes on. CSV and JSONL \
            are written row by row as images are scored.

            A model output that is NaN or infinite is reported as an error row ("model output is not a \
            finite number"). A destination that cannot be written (full disk, unwritable --output, standard \
            output closed) stops the run with an error naming it. --output never overwrites an input.

            Exit status: 0 all inputs scored, 1 some failed or an output (results, --visualize PNGs) could \
            not be written (the rest are still written), 2 usage errors or no usable model.

            Examples:
              miqa score photo.jpg --model ra_miqa --task cls
              miqa score folder/ --recursive --model resnet50 --task det --format jsonl --output scores.jsonl
              find /data -name '*.jpg' | miqa score - --model vit_small --format csv
              miqa score img.png --weights miqa_vit_small_cls_composite_metric.pth.tar --model vit_small
            """
    )

    @Argument(help: "Image files, folders, or - for paths on standard input.")
    var inputs: [String]

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "Descend into sub-folders (symlink loops are followed once).")
    var recursive = false

    @Option(help: "Images per forward pass, 1...4096.")
    var batchSize: Int = 8

    @Option(help: "Output format: table, json (the original's layout), csv or jsonl.")
    var format: ScoreFormat = .table

    @Option(help: "Write results to this file instead of standard output (never one of the inputs).")
    var output: String?

    @Option(help: "Refuse images with more pixels than this (decompression bombs), 1...1000000000.")
    var maxPixels: Int = 178_956_970

    @Flag(help: "No progress bar on stderr (it is shown only on a terminal anyway).")
    var noProgress = false

    @Flag(help: "Print images/s and peak memory on stderr at the end.")
    var timing = false

    @Flag(help: ArgumentHelp("Write a copy of each image with its score drawn on it (PNG) to --save-dir.",
                             discussion: """
                                 Named miqa_<model>_<stem>.png; when two inputs of the run would share a name \
                                 (x.png and x.jpg, or a/x.png and b/x.png) each gets its extension, \
                                 miqa_<model>_<stem>_<ext>.png, then _2, _3... in input order.
                                 """))
    var visualize = false

    @Option(help: "Folder for --visualize output.")
    var saveDir: String = "miqa_results"

    func validate() throws {
        try NumericRange.check("--batch-size", batchSize, in: NumericRange.batchSize)
        try NumericRange.check("--max-pixels", maxPixels, in: NumericRange.maxPixels)
        if let output { try PathCheck.outputFile(output, option: "--output") }
        if visualize { try PathCheck.outputFolder(saveDir, option: "--save-dir") }
    }

    func run() throws {
        threadOptions.apply()
        let predictor = try modelOptions.predictorOrExit()
        var job = ScoreJob(inputs: inputs)
        job.recursive = recursive
        job.batchSize = batchSize
        job.format = format
        job.output = output
        job.maxPixels = maxPixels
        job.showProgress = !noProgress
        if visualize {
            do { job.visualization = try Visualization(directory: URL(fileURLWithPath: saveDir), model: predictor.card.model) } catch {
                printError("error: --save-dir \(error)")
                throw ExitCode(2)
            }
        }
        let start = Date()
        let outcome: ScoreJob.Outcome
        do { outcome = try job.run(predictor: predictor) } catch let refused as ScoreJob.OutputIsInput {
            printError("error: \(refused)")
            throw ExitCode(2)
        } catch {
            // The destination cannot be written (full disk, unwritable --output): nothing more can be kept.
            printError("error: \(PathCheck.message(error))")
            throw ExitCode(1)
        }
        if timing {
            let seconds = Date().timeIntervalSince(start)
            let n = outcome.scored + outcome.failed
            printError(String(format: "timing: %d images in %.2f s = %.2f images/s; peak RSS %.0f MB",
                              n, seconds, Double(n) / seconds, ProcessMemory.peakResidentMB()))
        }
        if outcome.visualizationsFailed > 0 {
            printError("error: \(outcome.visualizationsFailed) annotated image(s) could not be written to \(saveDir)")
        }
        if outcome.failed > 0 || outcome.visualizationsFailed > 0 { throw ExitCode(1) }
    }
}

extension ScoreFormat: ExpressibleByArgument {}
