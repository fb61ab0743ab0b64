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

            Files that cannot be scored (missing, empty, truncated, not an image, too many pixels) get a \
            one-line error on stderr and a row with an error in the results; the run goes on. CSV and JSONL \
            are written row by row as images are scored.

            Exit status: 0 all inputs scored, 1 some failed (the rest are still written), 2 usage errors \
            or no usable model.

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

    @Option(help: "Images per forward pass.")
    var batchSize: Int = 8

    @Option(help: "Output format: table, json (the original's layout), csv or jsonl.")
    var format: ScoreFormat = .table

    @Option(help: "Write results to this file instead of standard output.")
    var output: String?

    @Option(help: "Refuse images with more pixels than this (decompression bombs).")
    var maxPixels: Int = 178_956_970

    @Flag(help: "No progress bar on stderr (it is shown only on a terminal anyway).")
    var noProgress = false

    @Flag(help: "Print images/s and peak memory on stderr at the end.")
    var timing = false

    @Flag(help: "Write a copy of each image with its score drawn on it (PNG) to --save-dir.")
    var visualize = false

    @Option(help: "Folder for --visualize output.")
    var saveDir: String = "miqa_results"

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        guard maxPixels >= 1 else { throw ValidationError("--max-pixels must be positive") }
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
            let vis = try Visualization(directory: URL(fileURLWithPath: saveDir), model: predictor.card.model)
            job.annotate = { result, image in try vis.write(result, image: image) }
        }
        let start = Date()
        let outcome = try job.run(predictor: predictor)
        if timing {
            let seconds = Date().timeIntervalSince(start)
            let n = outcome.scored + outcome.failed
            printError(String(format: "timing: %d images in %.2f s = %.2f images/s; peak RSS %.0f MB",
                              n, seconds, Double(n) / seconds, ProcessMemory.peakResidentMB()))
        }
        if outcome.failed > 0 { throw ExitCode(1) }
    }
}

extension ScoreFormat: ExpressibleByArgument {}
