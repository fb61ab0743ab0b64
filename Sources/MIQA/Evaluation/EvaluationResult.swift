import Foundation

/// The outcome of scoring an `EvaluationSet`: every image's prediction (or why it failed) and the
/// metrics over the scored ones: overall, logistic-fitted PLCC, and breakdowns by distortion type
/// and by region family (parsed from MIQD file names).
public struct EvaluationResult {
    /// One image of the set.
    public struct Row: Sendable, Equatable {
        /// Name as in predictions.csv (relative to `images/` for MIQD data).
        public var name: String
        /// The file scored.
        public var path: String
        /// Ground truth.
        public var label: Double
        /// The predictor's output; nil when the image could not be scored.
        public var prediction: Double?
        /// Why the image could not be scored.
        public var error: String?

        /// A row; `prediction` nil marks a failure.
        public init(name: String, path: String, label: Double, prediction: Double?, error: String? = nil) {
            self.name = name
            self.path = path
            self.label = label
            self.prediction = prediction
            self.error = error
        }
    }

    /// Every image, in input order.
    public let rows: [Row]
    /// Rows with a prediction, in input order.
    public let scored: [Row]
    /// Rows that failed (decode errors and the like): excluded from every metric.
    public let failed: [Row]
    /// SRCC, PLCC, KRCC and RMSE of the raw predictions over all scored images.
    public let overall: MetricSummary
    /// PLCC after the 4-parameter logistic mapping (`LogisticFit`); NaN without a fit.
    public let fittedPLCC: Double
    /// The fit behind `fittedPLCC`.
    public let logistic: LogisticFit?
    /// Per distortion type, in `DistortionType.allCases` order; types without images are left out.
    public let byDistortion: [(type: DistortionType, metrics: MetricSummary)]
    /// Per region family: uniform, fg_stronger, bg_stronger (empty families left out).
    public let byRegion: [(kind: RegionConfiguration.Kind, metrics: MetricSummary)]
    /// Scored images whose names are not MIQD names (counted in no breakdown).
    public let unparsedNames: [String]

    /// Computes every metric from `rows`.
    public init(rows: [Row]) {
        self.rows = rows
        scored = rows.filter { $0.prediction != nil }
        failed = rows.filter { $0.prediction == nil }
        let predictions = scored.map { $0.prediction! }, labels = scored.map(\.label)
        overall = MetricSummary(predictions: predictions, labels: labels)
        (fittedPLCC, logistic) = Correlation.fittedPLCC(predictions, labels)

        var byType: [DistortionType: [Int]] = [:], byKind: [RegionConfiguration.Kind: [Int]] = [:]
        var unparsed: [String] = []
        for (i, row) in scored.enumerated() {
            guard let parsed = MIQDImageName(fileName: row.name) else { unparsed.append(row.name); continue }
            byType[parsed.distortion, default: []].append(i)
            byKind[parsed.region.kind, default: []].append(i)
        }
        func summary(_ indices: [Int]) -> MetricSummary {
            MetricSummary(predictions: indices.map { predictions[$0] }, labels: indices.map { labels[$0] })
        }
        byDistortion = DistortionType.allCases.compactMap { t in byType[t].map { (t, summary($0)) } }
        let kinds: [RegionConfiguration.Kind] = [.uniform, .foregroundStronger, .backgroundStronger]
        byRegion = kinds.compactMap { k in byKind[k].map { (k, summary($0)) } }
        unparsedNames = unparsed
    }
}
