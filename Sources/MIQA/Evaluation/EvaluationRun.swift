import Foundation
import Imaging

/// Scores an `EvaluationSet` with a predictor through `ScoringPipeline` (batched, decode
/// overlapped with inference when cores allow) and gathers an `EvaluationResult`. An image that
/// cannot be read or decoded is reported through `onFailure` and kept as a failed row; the run
/// goes on.
public struct EvaluationRun {
    /// Images per forward pass.
    public var batchSize = 8
    /// Images with more pixels are refused (decompression bombs).
    public var maxPixels = ImageDecoder.defaultMaxPixels
    /// Progress bar on stderr (only on a terminal).
    public var showProgress = true
    /// Print a line on stderr for each image that fails (above the progress bar).
    public var printFailures = true

    /// A run with the defaults.
    public init() {}

    /// Scores every sample of `set` in order; `onFailure` hears of each image that fails.
    public func run(_ set: EvaluationSet, predictor: Predictor,
                    onFailure: (EvaluationResult.Row) -> Void = { _ in }) -> EvaluationResult {
        let pipeline = ScoringPipeline(predictor: predictor, batchSize: batchSize, maxPixels: maxPixels)
        let progress = ProgressBar(total: set.samples.count, label: "evaluating", enabled: showProgress)
        var rows: [EvaluationResult.Row] = []
        rows.reserveCapacity(set.samples.count)
        // The pipeline emits in input order, so the i-th result belongs to the i-th sample.
        pipeline.run(set.samples.map(\.path)) { raw, _ in
            // A NaN or infinite output is a failed row, as in `miqa score`, not a NaN in every metric.
            let score = ScoreReport.checked(raw)
            let sample = set.samples[rows.count]
            let error = score.score == nil ? (score.error ?? "not scored") : nil
            let row = EvaluationResult.Row(name: sample.name, path: sample.path, label: sample.label,
                                           prediction: score.score.map(Double.init), error: error)
            if row.prediction == nil {
                if printFailures { progress.message("error: \(row.path): \(error ?? "not scored")") }
                onFailure(row)
            }
            rows.append(row)
            progress.advance()
        }
        progress.finish()
        return EvaluationResult(rows: rows)
    }
}
