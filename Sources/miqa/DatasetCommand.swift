import ArgumentParser
import Foundation
import MIQA

/// `miqa dataset`: build an MIQD-style database and its machine labels.
struct Dataset: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build an MIQD-style database: distorted images, IQA scores and machine labels.",
        discussion: """
            Database layout (as MIQD-2.5M's):
              ROOT/src_images/<id>.<ext>            the references
              ROOT/images/<id>/<id>_<dist>_*.png    250 distorted images each
              ROOT/images/<id>/<id>_iqa_scores.csv  their PSNR, SSIM, MS-SSIM
              ROOT/labels/<id>_mmos.csv             cls labels (dataset label)
              ROOT/labels/<id>_{accuracy,consistency}.csv
                                                    det/ins labels (import-scores)
            See docs/labels.md for the label formulas.

            Typical use:
              miqa dataset generate --references refs/ --out miqd_cls
              miqa dataset label miqd_cls \\
                --machines efficientnet_lite0,efficientnet_lite1,efficientnet_lite2
            """,
        subcommands: [Generate.self, Label.self, ImportScores.self]
    )
}

extension Dataset {
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Distort every reference into the 250 MIQD images (10 types x 25 region configurations).",
            discussion: """
                References are taken from --references sorted by file name; the i-th (0-based) gets seed i + 1, \
                so a run over the same folder always gives the same images. Per type, the 12 candidate \
                parameters are ranked by PSNR and ranks 1, 5, 8, 10, 12 kept as levels 1..5; the 25 region \
                configurations blend two levels through the reference's foreground mask: \
                <id>_binary_mask.png from --masks when present (white = foreground, same size as the \
                reference, otherwise the reference fails), else --mask-method.

                Resumable: a finished reference has images/<id>/.complete listing its files and is skipped; \
                anything else left in a pending reference's folder is removed and the reference redone. \
                A failed reference (unreadable, smaller than 32 px a side, mask of the wrong size, write error) \
                prints one "error:" line, leaves no folder, and the run goes on; the exit status is then 1. \
                MS-SSIM needs 176 px a side: below that its column is empty.

                Examples:
                  miqa dataset generate --references refs/ --out miqd_cls --task cls
                  miqa dataset generate --references coco/ --out miqd_det --task det \\
                    --masks masks/ --threads 2
                  miqa dataset generate --references refs/ --out tiny --types fog,contrast --limit 10
                """
        )

        @Option(help: "Folder of reference images (jpg, png, bmp, tif, webp).")
        var references: String

        @Option(help: "Database root to create or resume.")
        var out: String

        @Option(help: "Task the database is for: cls, det or ins.")
        var task: VisionTask = .cls

        @Option(help: "Folder of masks <id>_binary_mask.png (white = foreground).")
        var masks: String?

        @Option(help: "Mask of references without a mask file: spectral-residual (saliency, no download), u2netp (rembg's salient-object segmenter; `miqa weights fetch u2netp` first) or uniform (all foreground).")
        var maskMethod: MaskMethod = .spectralResidual

        @Option(help: "Distortion types, comma-separated (default: all 10).")
        var types: String?

        @Option(help: "Worker threads, 1...256 (default: all cores).")
        var threads: Int = min(ProcessInfo.processInfo.activeProcessorCount, ThreadOptions.range.upperBound)

        @Option(help: "Only the first N references, N at least 1 (seeds stay those of the full sorted list).")
        var limit: Int?

        @Option(help: ArgumentHelp(
            "Region configurations per type, 1...25 (default: all 25).",
            discussion: "Fewer configurations per reference for more references in the same compute. The 5 uniform levels come first, then foreground- and background-stronger pairs alternately, widest level gap first; the images kept are byte-identical to those of a full run."))
        var configurations: Int = RegionConfiguration.all.count

        @Flag(help: "No progress bar.")
        var noProgress = false

        func validate() throws {
            _ = try parsedTypes()
            try NumericRange.check("--threads", threads, in: ThreadOptions.range)
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1 (got \(limit))") }
            try NumericRange.check("--configurations", configurations, in: 1...RegionConfiguration.all.count)
            try PathCheck.outputFolder(out, option: "--out")
            try PathCheck.inputFolder(references, option: "--references")
            if let masks { try PathCheck.inputFolder(masks, option: "--masks") }
        }

        func parsedTypes() throws -> [DistortionType] {
            guard let types else { return DistortionType.allCases }
            var out: [DistortionType] = []
            for name in types.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                guard let t = DistortionType(rawValue: name) else {
                    throw ValidationError("unknown type '\(name)' in --types; one of \(DistortionType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                if !out.contains(t) { out.append(t) }
            }
            guard !out.isEmpty else { throw ValidationError("--types is empty") }
            return out
        }

        func run() throws {
            let options = GenerationOptions(
                references: URL(fileURLWithPath: references), root: URL(fileURLWithPath: out), task: task.rawValue,
                masks: masks.map { URL(fileURLWithPath: $0) }, maskMethod: maskMethod,
                types: try parsedTypes(), threads: threads, limit: limit,
                configurations: RegionConfiguration.subset(configurations),
                segmenter: maskMethod == .u2netp ? try SalientObjectSegmenter.load("u2netp") : nil)
            var bar: ProgressBar?
            let started = Date()
            let summary: GenerationSummary
            do {
                summary = try DatasetGenerator(options: options).run(
                    willStart: { pending, images in
                        bar = ProgressBar(total: images, label: "\(pending.count) references", enabled: !noProgress)
                    },
                    progress: { bar?.advance(by: $0) },
                    log: { message in if let bar { bar.message(message) } else { printError(message) } })
            } catch {
                printError("error: \(PathCheck.message(error))")
                throw ExitCode(1)
            }
            bar?.finish()
            let seconds = Date().timeIntervalSince(started)
            printError(String(format: "generated %d, skipped %d (already complete), failed %d references; %d images in %.1f s -> %@",
                              summary.generated.count, summary.skipped.count, summary.failed.count, summary.imagesWritten,
                              seconds, out))
            if !summary.failed.isEmpty { throw ExitCode(1) }
        }
    }

    struct Label: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Label a generated database with real machines: cls with ImageNet classifiers (labels/<id>_mmos.csv), det with detectors and ins with segmenters (labels/<id>_consistency.csv, _accuracy.csv).",
            discussion: """
                Each machine classifies the reference (src_images/<id>.*) and its distorted images. Per machine, \
                with c its top-1 class on the reference and y the true class, --definition says what a label is:
                  overlap (default)    consistency = sum over classes of min(p(distorted), p(reference)); \
                accuracy = p(distorted)[y]
                  agreement            consistency = 1 if its top-1 on the distorted image is still c, else 0; \
                accuracy = 1 if it is y
                  probability          consistency = p(distorted)[c]; accuracy = p(distorted)[y] (the first labeller's)
                agreement and overlap are 1 on the reference itself, so pristine photos sit at the top of the scale. \
                labels/labelling.json records the definition, machines and weights; a later run with other settings \
                stops with an error unless it relabels everything (--overwrite). The weighted_* columns \
                average machines with --machine-weights (default equal), mean_*/std_* are the plain mean and \
                population std. See docs/labels.md.

                Ground truth: --ground-truth FILE (CSV with columns image,class_index), else ImageNet validation \
                names (ILSVRC2012_val_XXXXXXXX) through $MIQA_HOME/data/val_image_to_1k_label.json. References \
                without ground truth get empty accuracy columns (composite then falls back to consistency).

                det databases (dataset generate --task det): each detector (default yolov3_tiny) runs on the \
                reference and the distorted images; per image, consistency = COCO's box AP@[.5:.95] of its \
                detections (probability > 0.005) against its own detections on the reference (probability > 0.5) \
                taken as ground truth; accuracy = the same AP against --ground-truth boxes (COCO-style JSON). \
                Columns: filename, AP_weighted_avg, AP75_weighted_avg, AP50_weighted_avg, AP_<machine>. A reference \
                in which no detector finds an object is reported and not labelled.

                ins databases (dataset generate --task ins): each salient-object segmenter (default u2netp) \
                masks the reference and the distorted images (foreground = saliency >= 128); per image, \
                consistency = IoU of its mask with its own mask of the reference; accuracy = IoU with the \
                --ground-truth folder's <id>_binary_mask.png. Columns: filename, AP_weighted_avg (the weighted \
                mean IoU, under the det/ins files' column name), IoU_<machine>. A reference in which no \
                segmenter finds a foreground is reported and not labelled.

                Only finished references are labelled; existing label files are kept unless --overwrite.
                Install the machines first: miqa weights fetch efficientnet_lite0 (lite1, lite2; also mobilenet_v2; \
                yolov3_tiny for det; u2netp for ins).

                Example:
                  miqa dataset label miqd_cls \\
                    --machines efficientnet_lite0,efficientnet_lite1,efficientnet_lite2
                """
        )

        @Argument(help: "Database root (made by dataset generate).")
        var root: String

        @OptionGroup var machineOptions: MachineOptions

        @Option(help: "Weights of the machines in the weighted_* columns, comma-separated finite numbers >= 0 with a positive sum (default: equal).")
        var machineWeights: String?

        @Option(help: "cls: CSV with columns image,class_index (image = reference id or file name). det: COCO-style JSON of boxes (images, annotations, categories named as the detector's classes). ins: folder of masks <id>_binary_mask.png (white = foreground).")
        var groundTruth: String?

        @Option(help: "Images per forward pass, 1...4096.")
        var batchSize: Int = 16

        @Option(help: ArgumentHelp("Label definition: overlap, agreement or probability (see above and docs/labels.md).", valueName: "name"))
        var definition: LabelDefinition = .standard

        @Flag(help: "Relabel references that already have a label file.")
        var overwrite = false

        @Flag(help: "No progress bar.")
        var noProgress = false

        @OptionGroup var threadOptions: ThreadOptions


        func validate() throws {
            if let w = try parsedWeights(), w.count != machineOptions.count {
                throw ValidationError("--machine-weights has \(w.count) values for \(machineOptions.count) machines")
            }
            try NumericRange.check("--batch-size", batchSize, in: NumericRange.batchSize)
            // ins takes a folder of masks, cls and det a file (checked when the task is known).
            if let groundTruth, !FileManager.default.fileExists(atPath: groundTruth) {
                throw ValidationError("--ground-truth \(groundTruth): no such file or folder")
            }
        }

        func parsedWeights() throws -> [Double]? {
            guard let machineWeights else { return nil }
            let values = machineWeights.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            let count = machineWeights.split(separator: ",").count
            // Finite: inf would make every weighted label NaN (inf / inf).
            guard values.count == count, values.allSatisfy({ $0.isFinite && $0 >= 0 }), values.reduce(0, +) > 0,
                  values.reduce(0, +).isFinite else {
                throw ValidationError("--machine-weights must be finite non-negative numbers with a positive sum")
            }
            return values
        }

        func run() throws {
            threadOptions.apply()
            let layout = MIQDLayout(root: URL(fileURLWithPath: root))
            if layout.recordedTask() == "det" || (layout.recordedTask() == nil && machineOptions.areDetectors) {
                return try runDetection()
            }
            if layout.recordedTask() == "ins" || (layout.recordedTask() == nil && machineOptions.areSegmenters) {
                return try runSegmentation()
            }
            if let task = layout.recordedTask(), task != "cls" {
                printError("error: \(root) is a '\(task)' database; dataset label computes cls, det and ins labels")
                throw ExitCode(2)
            }
            let loaded = try machineOptions.loadOrExit()
            let truth: GroundTruth?
            if let groundTruth {
                do { truth = try GroundTruth.load(csv: URL(fileURLWithPath: groundTruth)) } catch {
                    printError("error: \(PathCheck.message(error))")
                    throw ExitCode(2)
                }
            } else {
                truth = GroundTruth.imageNetValidation()
                if truth == nil {
                    printError("note: no ground truth (no --ground-truth, and ImageNet validation labels are not installed: miqa weights fetch efficientnet_lite0); accuracy columns will be empty and composite falls back to consistency")
                }
            }
            let labeller = DatasetLabeller(root: URL(fileURLWithPath: root), machines: loaded, weights: try parsedWeights(),
                                           groundTruth: truth, batchSize: batchSize, overwrite: overwrite,
                                           definition: definition)
            try report(labelled: "\(loaded.map(\.name).joined(separator: ", ")) (definition \(definition.rawValue))",
                       missingTruth: "accuracy columns left empty, composite = consistency for them") { willStart, progress, log in
                try labeller.run(willStart: willStart, progress: progress, log: log)
            }
        }

        /// A det database: detectors, COCO box AP, ground truth from COCO-style JSON.
        func runDetection() throws {
            let loaded = try machineOptions.loadDetectorsOrExit()
            var truth: BoxGroundTruth?
            if let groundTruth {
                do { truth = try BoxGroundTruth.load(json: URL(fileURLWithPath: groundTruth)) } catch {
                    printError("error: \(PathCheck.message(error))")
                    throw ExitCode(2)
                }
            }
            let labeller = DetectionLabeller(root: URL(fileURLWithPath: root), machines: loaded, weights: try parsedWeights(),
                                             groundTruth: truth, overwrite: overwrite)
            try report(labelled: "\(loaded.map(\.name).joined(separator: ", ")) (COCO box AP)",
                       missingTruth: "no accuracy file, composite = consistency for them") { willStart, progress, log in
                try labeller.run(willStart: willStart, progress: progress, log: log)
            }
        }

        /// An ins database: salient-object segmenters, mask IoU, ground truth from a folder of masks.
        func runSegmentation() throws {
            let loaded = try machineOptions.loadSegmentersOrExit()
            if let groundTruth { try PathCheck.inputFolder(groundTruth, option: "--ground-truth") }
            let labeller = SegmentationLabeller(root: URL(fileURLWithPath: root), machines: loaded, weights: try parsedWeights(),
                                                groundTruth: groundTruth.map { URL(fileURLWithPath: $0) }, overwrite: overwrite)
            try report(labelled: "\(loaded.map(\.name).joined(separator: ", ")) (mask IoU)",
                       missingTruth: "no accuracy file, composite = consistency for them") { willStart, progress, log in
                try labeller.run(willStart: willStart, progress: progress, log: log)
            }
        }

        /// Runs a labeller with a progress bar and prints its summary; exit status 1 when a reference failed.
        private func report(labelled machines: String, missingTruth: String,
                            _ run: (([String], Int) -> Void, @escaping (Int) -> Void, @escaping (String) -> Void) throws -> DatasetLabeller.Summary) throws {
            var bar: ProgressBar?
            let summary = try run({ ids, images in bar = ProgressBar(total: images, label: "\(ids.count) references", enabled: !noProgress) },
                                  { bar?.advance(by: $0) },
                                  { message in if let bar { bar.message(message) } else { printError(message) } })
            bar?.finish()
            if !summary.withoutGroundTruth.isEmpty {
                let ids = summary.withoutGroundTruth
                printError("note: \(ids.count) reference(s) have no ground truth (\(ids.prefix(3).joined(separator: ", "))\(ids.count > 3 ? ", ..." : "")): \(missingTruth)")
            }
            printError("labelled \(summary.labelled.count), skipped \(summary.skipped.count) (label file exists), failed \(summary.failed.count) references with \(machines)")
            if !summary.failed.isEmpty { throw ExitCode(1) }
        }
    }

    struct ImportScores: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-scores",
            abstract: "Import det/ins machine scores computed elsewhere into labels/<id>_accuracy.csv and _consistency.csv.",
            discussion: """
                Input CSV (header required):
                  reference_id,filename,machine,ap_consistency,ap_accuracy
                One line per distorted image and machine; filename relative to images/<reference_id>/; AP values \
                in 0..1 (e.g. AP@0.75 of the machine's output on the distorted image against its output on the \
                reference, resp. against ground truth); an empty cell leaves that machine out of the average.
                Output: filename,AP_weighted_avg = the equal-weight mean over machines, both files \
                in the same row order.

                Example:
                  miqa dataset import-scores miqd_det --task det --scores det_scores.csv
                """
        )

        @Argument(help: "Database root.")
        var root: String

        @Option(help: "Task: det or ins.")
        var task: VisionTask

        @Option(help: "CSV of per-image machine scores.")
        var scores: String

        func validate() throws {
            guard task != .cls else { throw ValidationError("--task must be det or ins (cls labels come from dataset label)") }
            try PathCheck.readableFile(scores, option: "--scores")
        }

        func run() throws {
            do {
                let s = try ScoreImport.run(root: URL(fileURLWithPath: root), scores: URL(fileURLWithPath: scores))
                printError("imported \(s.images) images of \(s.references.count) references from \(s.machines.count) machine(s) (\(s.machines.joined(separator: ", "))) -> \(root)/labels")
            } catch {
                printError("error: \(PathCheck.message(error))")
                throw ExitCode(1)
            }
        }
    }
}
