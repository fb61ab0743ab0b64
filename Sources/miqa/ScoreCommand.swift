import ArgumentParser
import Foundation
import MIQA

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score images and folders: how good is each image for a machine (about 0..1, higher is better).",
        discussion: """
            Each INPUT is an image file or a folder (its .jpg .jpeg .png .bmp .tif .tiff .webp files). \
            Images are preprocessed exactly as the original MIQA code does (shorter side to 288, centre crop 224; \
            RA-MIQA also reads a 288x288 view). Unreadable files are reported and skipped; the exit status is 1 \
            when any input failed, 0 when all were scored.

            Examples:
              miqa score photo.jpg --model ra_miqa --task cls
              miqa score folder/ --model resnet50 --task det --format json --output scores.json
              miqa score img.png --weights miqa_vit_small_cls_composite_metric.pth.tar --model vit_small
            """
    )

    @Argument(help: "Image files or folders.")
    var inputs: [String]

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "Descend into sub-folders.")
    var recursive = false

    @Option(help: "Images per forward pass.")
    var batchSize: Int = 8

    @Option(help: "Output format: table, json (the original's layout) or csv.")
    var format: String = "table"

    @Option(help: "Write results to this file instead of standard output.")
    var output: String?

    func validate() throws {
        guard ["table", "json", "csv"].contains(format) else { throw ValidationError("--format must be table, json or csv") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        threadOptions.apply()
        let predictor: Predictor
        do { predictor = try modelOptions.resolve() } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        let (files, missing) = InputCollection.expand(inputs, recursive: recursive)
        var results = missing
        for r in missing { printError("error: \(r.path): \(r.error ?? "")") }
        Scorer(predictor: predictor, batchSize: batchSize).score(files) { r in
            if let e = r.error { printError("error: \(r.path): \(e)") }
            results.append(r)
        }
        let text: String
        switch format {
        case "json": text = ScoreReport.json(results, card: predictor.card)
        case "csv": text = ([ScoreReport.csvHeader] + results.map(ScoreReport.csvRow)).joined(separator: "\n")
        default: text = ScoreReport.table(results)
        }
        if let output {
            try (text + "\n").write(toFile: output, atomically: true, encoding: .utf8)
        } else {
            print(text)
        }
        if results.contains(where: { $0.score == nil }) { throw ExitCode(1) }
    }
}
