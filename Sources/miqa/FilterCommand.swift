import ArgumentParser
import Foundation
import MIQA

struct Filter: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Keep the images a machine can use: score them and copy, link, move or list the good ones.",
        discussion: """
            Scores every image (files, folders; --recursive for subfolders) with the predictor (the embedded default \
            unless --model/--weights) and keeps those above --keep-above T, or all but the lowest fraction with \
            --drop-lowest F (decided after every image is scored; ties dropped in input order). Kept images go to \
            --to DIR: copied (default; complete files only, through a temporary name), linked (symbolic links to \
            their absolute paths) or moved; --mode list prints their paths instead and writes nothing. Files found in \
            a folder keep their path below it; a repeated name gets _2, _3, ... An existing file in DIR is never \
            overwritten (that image is reported as failed). Images that cannot be read or scored are reported on \
            stderr and never moved.

            Each decision is printed on stderr as it is made ("keep", "drop" with the reason, "error"); a summary \
            ends the run. Use `miqa filtering` first to choose a threshold on data like yours.

            Exit status: 0 every image was scored and placed; 1 some images could not be read, scored or placed (the \
            rest were handled); 2 usage errors or no usable model.

            Examples:
              miqa filter photos/ --keep-above 0.5 --to good/
              miqa filter photos/ --recursive --drop-lowest 0.3 --to keep/ --mode link
              miqa filter *.jpg --keep-above 0.4 --mode list > usable.txt
            """
    )

    @Argument(help: "Images or folders.")
    var inputs: [String]

    @Flag(help: "Include images in subfolders.")
    var recursive = false

    @Option(help: ArgumentHelp("Keep images scoring above this (a finite number).", valueName: "T"))
    var keepAbove: Double?

    @Option(help: ArgumentHelp("Drop this fraction (0..<1) of the lowest-scored images.", valueName: "F"))
    var dropLowest: Double?

    @Option(help: ArgumentHelp("Destination folder for the kept images (created if needed).", valueName: "dir"))
    var to: String?

    @Option(help: "copy, link (symbolic), move, or list (print paths only).")
    var mode: FilterJob.Mode = .copy

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "Images per forward pass, 1...4096.")
    var batchSize: Int = 8

    @Option(help: "Refuse images with more pixels than this (decompression bombs), 1...1000000000.")
    var maxPixels: Int = 178_956_970

    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "Print only the summary, not every decision.")
    var quiet = false

    func validate() throws {
        guard (keepAbove == nil) != (dropLowest == nil) else { throw ValidationError("give exactly one of --keep-above T or --drop-lowest F") }
        if let keepAbove, !keepAbove.isFinite { throw ValidationError("--keep-above must be a finite number") }
        if let dropLowest, !(dropLowest >= 0 && dropLowest < 1) { throw ValidationError("--drop-lowest must be in 0..<1 (got \(dropLowest))") }
        if mode != .list && to == nil { throw ValidationError("--to DIR is needed unless --mode list") }
        if mode == .list && to != nil { throw ValidationError("--mode list writes nothing: drop --to") }
        try NumericRange.check("--batch-size", batchSize, in: NumericRange.batchSize)
        try NumericRange.check("--max-pixels", maxPixels, in: NumericRange.maxPixels)
    }

    func run() throws {
        threadOptions.apply()
        let predictor = try modelOptions.predictorOrExit()
        let rule: FilterJob.Rule = keepAbove.map { .keepAbove($0) } ?? .dropLowest(dropLowest ?? 0)
        var job = FilterJob(inputs: inputs, rule: rule, mode: mode,
                            destination: to.map { URL(fileURLWithPath: $0) })
        job.recursive = recursive
        job.batchSize = batchSize
        job.maxPixels = maxPixels
        let summary: FilterJob.Summary
        do {
            summary = try job.run(predictor: predictor) { d in
                let score = d.score.map { String(format: "%.4f", $0) } ?? "-"
                switch d.outcome {
                case .kept:
                    // A closed or full standard output is reported at exit (MIQACommand.exitIfStandardOutputFailed).
                    if job.mode == .list { print(d.path) }
                    if !quiet { printError("keep  \(score) \(d.path)\(d.destination.map { " -> \($0)" } ?? "")") }
                case .dropped:
                    if !quiet { printError("drop  \(score) \(d.path): \(d.reason ?? "")") }
                case .failed:
                    printError("error: \(d.path): \(d.reason ?? "failed")")
                }
            }
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        printError("kept \(summary.kept), dropped \(summary.dropped), failed \(summary.failed) of \(summary.kept + summary.dropped + summary.failed) images\(job.mode == .list ? "" : " (\(job.mode.rawValue) to \(to ?? ""))")")
        if summary.failed > 0 { throw ExitCode(1) }
    }
}
