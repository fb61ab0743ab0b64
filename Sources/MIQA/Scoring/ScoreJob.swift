import Foundation
import Imaging

/// Output formats of `miqa score`.
public enum ScoreFormat: String, CaseIterable, Sendable {
    case table, json, csv, jsonl
}

/// One `miqa score` run: expand the inputs, score them through the pipeline, stream the results
/// to a sink, report failures on stderr, and say how it went.
public struct ScoreJob {
    public var inputs: [String]
    public var recursive = false
    public var batchSize = 8
    public var format: ScoreFormat = .table
    public var output: String?
    public var maxPixels = ImageDecoder.defaultMaxPixels
    public var showProgress = true
    /// Called with each scored image and its decoded pixels (for annotated copies); nil: not kept.
    public var annotate: ((ImageScore, RGBImage) throws -> Void)?

    public init(inputs: [String]) { self.inputs = inputs }

    /// Counts of a finished run.
    public struct Outcome: Sendable {
        public var scored: Int
        public var failed: Int
    }

    /// `-` among the inputs reads a list of paths (one per line) from standard input.
    static func readStandardInputPaths() -> [String] {
        var paths: [String] = []
        while let line = readLine(strippingNewline: true) {
            let p = line.trimmingCharacters(in: .whitespaces)
            if !p.isEmpty { paths.append(p) }
        }
        return paths
    }

    public func run(predictor: Predictor) throws -> Outcome {
        var expanded: [String] = []
        for input in inputs {
            if input == "-" { expanded.append(contentsOf: ScoreJob.readStandardInputPaths()) } else { expanded.append(input) }
        }
        let (files, problems) = InputCollection.expand(expanded, recursive: recursive)
        let sink: ScoreSink
        switch format {
        case .table: sink = try TableSink(path: output)
        case .json: sink = try JSONSink(path: output, card: predictor.card)
        case .csv: sink = try CSVSink(path: output)
        case .jsonl: sink = try JSONLSink(path: output)
        }
        let progress = ProgressBar(total: files.count, label: "scoring", enabled: showProgress)
        var outcome = Outcome(scored: 0, failed: 0)
        for p in problems {
            progress.message("error: \(p.path): \(p.error ?? "")")
            sink.write(p)
            outcome.failed += 1
        }
        let pipeline = ScoringPipeline(predictor: predictor, batchSize: batchSize, maxPixels: maxPixels)
        pipeline.keepImages = annotate != nil
        pipeline.run(files) { result, image in
            if result.score != nil, let image, let annotate {
                do { try annotate(result, image) } catch {
                    // The score stands; only the picture failed.
                    progress.message("warning: \(result.path): could not write annotated image: \(error)")
                }
            }
            if let e = result.error {
                progress.message("error: \(result.path): \(e)")
                outcome.failed += 1
            } else {
                outcome.scored += 1
            }
            sink.write(result)
            progress.advance()
        }
        progress.finish()
        sink.finish()
        return outcome
    }
}
