import ArgumentParser
import Foundation
import MIQA

struct Filtering: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filtering",
        abstract: "The paper's filtering test: drop the lowest-scored images and see how much better the machines do on the rest.",
        discussion: """
            Ranks distorted images by a predictor's score, drops the lowest fraction p (0, 0.1, ..., 0.7 by default) and \
            reports what real classifiers ("machines") achieve on the images that remain: their top-1 agreement with their \
            own answer on the clean reference, and their consistency (the probability they still give to that answer, the \
            cls label of `miqa dataset label`). With detectors (--machines yolov3_tiny, the default on a det database): \
            their COCO box AP@0.75 (the paper's filtering metric) and AP@[.5:.95] against their own detections on the \
            reference, as the det labels define them. A predictor that ranks well makes both rise quickly with p.

            Beside the predictor, the same test is run with: random dropping (its expectation: flat at the mean), a \
            no-reference sharpness baseline (variance of the Laplacian of the luma), PSNR against the reference (a \
            full-reference baseline), and the known severity when every image has one (MIQD levels, or the pairs file's \
            severity column). The SRCC of each ranking with the machines' mean consistency (detectors: mean AP) is printed too.

            Input: an MIQD-layout database (--data ROOT, optionally --split CSV; images listed in each reference's \
            <id>_iqa_scores.csv, references from src_images/), or a pairs file (--pairs CSV with header \
            image,reference[,severity]; paths relative to the CSV's folder) for any images with their clean originals. \
            Labels are not needed: the machines run on the fly.

            Writes to --out: filtering.csv (method,metric,machine,fraction,value), filtering.json (curves per machine and \
            averaged, SRCCs, counts, failures), samples.csv (one line per image: score, sharpness, PSNR, severity, each \
            machine's consistency and agreement, or ap and ap75) and filtering.png (top-1 agreement, or AP@0.75, against p, one \
            line per method).

            Exit status: 0 all images used; 1 results written but some images or references could not be used (each \
            reported on stderr and listed in filtering.json); 2 usage errors, no usable model or machine, no input.

            Examples:
              miqa filtering --data miqd_cls --split test.csv
              miqa filtering --pairs heldout/pairs.csv --machines efficientnet_lite0,efficientnet_lite1 --out eval/filtering
              miqa filtering --data miqd_cls --weights run/best/model.safetensors --fractions 0,0.25,0.5,0.75
            """
    )

    @Option(name: .customLong("data"), help: ArgumentHelp("Root of an MIQD-layout database (images/, src_images/).", valueName: "root"))
    var dataRoot: String?

    @Option(help: ArgumentHelp("Split CSV of the database (MIQD 'Image Name' column); default: every complete reference.", valueName: "csv"))
    var split: String?

    @Option(help: ArgumentHelp("CSV of distorted images and their references (header image,reference[,severity]).", valueName: "csv"))
    var pairs: String?

    @OptionGroup var modelOptions: ModelOptions

    @OptionGroup var machineOptions: MachineOptions

    @Option(help: ArgumentHelp("Comma-separated drop fractions, each in 0..<1.", valueName: "list"))
    var fractions: String = FilteringCurve.defaultFractions.map { String(format: "%.1f", $0) }.joined(separator: ",")

    @Option(help: ArgumentHelp("Folder for the four output files (default: miqa_results/filtering_<predictor>).", valueName: "dir"))
    var out: String?

    @Option(help: "Images per forward pass, 1...4096.")
    var batchSize: Int = 8

    @Option(help: "Refuse images with more pixels than this (decompression bombs), 1...1000000000.")
    var maxPixels: Int = 178_956_970

    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "No progress bar on stderr (it is shown only on a terminal anyway).")
    var noProgress = false

    func parsedFractions() throws -> [Double] {
        let values = fractions.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0!.isFinite && $0! >= 0 && $0! < 1 }) else {
            throw ValidationError("--fractions must be comma-separated numbers in 0..<1 (got '\(fractions)')")
        }
        return values.map { $0! }
    }

    func validate() throws {
        guard (dataRoot == nil) != (pairs == nil) else { throw ValidationError("give exactly one of --data ROOT or --pairs CSV") }
        if split != nil && dataRoot == nil { throw ValidationError("--split needs --data") }
        _ = try parsedFractions()
        try NumericRange.check("--batch-size", batchSize, in: NumericRange.batchSize)
        try NumericRange.check("--max-pixels", maxPixels, in: NumericRange.maxPixels)
    }

    func run() throws {
        threadOptions.apply()
        let input: FilteringInput
        let predictor: Predictor
        // Detectors when named, or on a det database without --machines.
        let detectors = machineOptions.areDetectors
            || (machineOptions.machines == nil && dataRoot.map { MIQDLayout(root: URL(fileURLWithPath: $0)).recordedTask() == "det" } == true)
        let machines: FilteringMachines = detectors ? .detectors(try machineOptions.loadDetectorsOrExit())
                                                    : .classifiers(try machineOptions.loadOrExit())
        do {
            if let dataRoot {
                let ids = try split.map { try MIQDSplits.load(URL(fileURLWithPath: $0)) }
                input = try FilteringInput.database(root: URL(fileURLWithPath: dataRoot), split: ids)
            } else {
                input = try FilteringInput.pairs(csv: URL(fileURLWithPath: pairs!))
            }
            predictor = try modelOptions.resolve()
        } catch {
            printError("error: \(PathCheck.message(error))")
            throw ExitCode(2)
        }
        input.notes.forEach(printError)
        printError("filtering test of \(predictor.card.name) on \(input.imageCount) images of \(input.groups.count) references with \(machines.names.joined(separator: ", "))")
        var runner = FilteringRun(predictor: predictor, machines: machines)
        runner.batchSize = batchSize
        runner.maxPixels = maxPixels
        let bar = ProgressBar(total: input.imageCount, label: "images", enabled: !noProgress)
        let outcome = runner.run(input, progress: { bar.advance(by: $0) })
        bar.finish()
        outcome.failures.forEach { printError("error: \($0)") }
        guard !outcome.samples.isEmpty else {
            printError("error: no image could be used")
            throw ExitCode(2)
        }
        let result = FilteringResult(samples: outcome.samples, machines: machines.names, fractions: try parsedFractions())
        let report = FilteringReport(result: result, samples: outcome.samples, predictorName: predictor.card.name, failures: outcome.failures)
        let folder = URL(fileURLWithPath: out ?? "miqa_results/filtering_\(predictor.card.name)")
        do { try report.write(to: folder) } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        print(report.table())
        print("wrote \(folder.path)/{\(FilteringReport.curvesFile),\(FilteringReport.jsonFile),\(FilteringReport.samplesFile),\(FilteringReport.chartFile)}")
        if !outcome.failures.isEmpty { throw ExitCode(1) }
    }
}
