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
    /// `--visualize`: an annotated PNG per scored image (names planned over the whole run).
    public var visualization: Visualization?

    public init(inputs: [String]) { self.inputs = inputs }

    /// Counts of a finished run.
    public struct Outcome: Sendable {
        public var scored: Int
        public var failed: Int
        /// Scored images whose annotated PNG could not be written (the score stands).
        public var visualizationsFailed = 0
    }

    /// `--output` names one of the inputs: refused before anything is opened (opening truncates).
    public struct OutputIsInput: Error, CustomStringConvertible {
        public let output: String
        public let input: String
        public var description: String {
            output == input ? "--output \(output): is one of the inputs; refusing to overwrite it"
                : "--output \(output): is the input \(input); refusing to overwrite it"
        }
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

    /// Device and inode of an existing path (following symlinks), to recognise one file under two names.
    static func identity(_ path: String) -> [UInt64]? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return [UInt64(st.st_dev), UInt64(st.st_ino)]
    }

    /// Throws `OutputIsInput` when `output` is (a link to, or another name of) one of `files`.
    static func refuseOverwritingInputs(output: String?, files: [String]) throws {
        guard let output, let target = identity(output) else { return }
        for f in files where identity(f) == target { throw OutputIsInput(output: output, input: f) }
    }

    /// Scores every input. Per-image problems become error rows; a destination that cannot be
    /// written stops the run with `DatasetError.writeFailed` naming it (nothing more could be kept).
    public func run(predictor: Predictor) throws -> Outcome {
        var expanded: [String] = []
        for input in inputs {
            if input == "-" { expanded.append(contentsOf: ScoreJob.readStandardInputPaths()) } else { expanded.append(input) }
        }
        let (files, problems) = InputCollection.expand(expanded, recursive: recursive)
        try ScoreJob.refuseOverwritingInputs(output: output, files: files)
        var visualization = self.visualization
        visualization?.plan(files)
        let sink: ScoreSink
        switch format {
        case .table: sink = try TableSink(path: output)
        case .json: sink = try JSONSink(path: output, card: predictor.card)
        case .csv: sink = try CSVSink(path: output)
        case .jsonl: sink = try JSONLSink(path: output)
        }
        let progress = ProgressBar(total: files.count, label: "scoring", enabled: showProgress)
        var outcome = Outcome(scored: 0, failed: 0)
        var writeError: Error?
        for p in problems where writeError == nil {
            progress.message("error: \(p.path): \(p.error ?? "")")
            do { try sink.write(p) } catch { writeError = error }
            outcome.failed += 1
        }
        let pipeline = ScoringPipeline(predictor: predictor, batchSize: batchSize, maxPixels: maxPixels)
        pipeline.keepImages = visualization != nil
        // In chunks, so a destination that fails stops the scoring soon instead of after the last file.
        let chunk = max(1, batchSize) * 16
        var start = 0
        while start < files.count, writeError == nil {
            let part = Array(files[start..<min(files.count, start + chunk)])
            start += chunk
            pipeline.run(part) { raw, image in
                guard writeError == nil else { return }
                let result = ScoreReport.checked(raw)
                if result.score != nil, let image, let visualization {
                    do { try visualization.write(result, image: image) } catch {
                        progress.message("error: \(error) (the score of \(result.path) is kept)")
                        outcome.visualizationsFailed += 1
                    }
                }
                if let e = result.error {
                    progress.message("error: \(result.path): \(e)")
                    outcome.failed += 1
                } else {
                    outcome.scored += 1
                }
                do { try sink.write(result) } catch { writeError = error }
                progress.advance()
            }
        }
        progress.finish()
        if let writeError { throw writeError }
        try sink.finish()
        return outcome
    }
}
