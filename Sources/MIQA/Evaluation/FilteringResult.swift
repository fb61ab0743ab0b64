import Foundation

/// The filtering test's curves: for each ranking method, what the machines achieve on the
/// images kept after dropping the lowest-ranked fraction.
public struct FilteringResult {
    /// A way of ranking images (higher key = kept longer).
    public enum Method: String, CaseIterable, Sendable {
        /// The predictor's score.
        case predictor
        /// Random dropping, in expectation (`FilteringCurve.randomMeans`).
        case random
        /// Variance of the Laplacian (no reference needed).
        case sharpness
        /// PSNR against the reference (needs the reference: a full-reference upper baseline).
        case psnr
        /// The known severity (MIQD level or the pairs file's column), when every image has one.
        case severity

        /// The ranking key of one sample, or nil when this method does not apply to it.
        func key(_ s: FilteringSample) -> Double? {
            switch self {
            case .predictor: return s.score
            case .random: return 0
            case .sharpness: return s.sharpness
            case .psnr: return s.psnr
            case .severity: return s.severity.map { -$0 }
            }
        }
    }

    /// What is averaged over the kept images.
    public enum Metric: String, CaseIterable, Sendable {
        /// Classifiers: top-1 agreement with the machine's answer on the reference (0 or 1 per image).
        case agreement
        /// Classifiers: the probability of the reference's top-1 class (the consistency label).
        case consistency
        /// Detectors: COCO box AP at IoU 0.75 against the machine's detections on the reference.
        case ap75
        /// Detectors: COCO box AP@[.5:.95] against the machine's detections on the reference.
        case ap

        /// What the table and chart call it.
        public var title: String {
            switch self {
            case .agreement: return "top-1 agreement with the reference's answer"
            case .consistency: return "consistency"
            case .ap75: return "AP@0.75 against the reference's detections"
            case .ap: return "AP@[.5:.95] against the reference's detections"
            }
        }
    }

    /// One line of a chart: `values[i]` at `fractions[i]`.
    public struct Curve: Sendable {
        public var method: Method
        public var metric: Metric
        /// A machine's name, or "mean" for the average over machines.
        public var machine: String
        public var values: [Double]
    }

    public var fractions: [Double]
    public var machines: [String]
    public var methods: [Method]
    /// The metrics the samples have: agreement and consistency (classifiers) or ap75 and ap (detectors).
    public var metrics: [Metric]
    /// The metric the SRCCs are taken against (consistency, or ap for detectors).
    public var labelMetric: Metric
    /// The metric the chart shows (agreement, or ap75 for detectors: the paper's).
    public var chartMetric: Metric
    public var curves: [Curve]
    /// Spearman correlation of each method's key with the machines' mean `labelMetric` (not for random).
    public var srcc: [Method: Double]
    public var imageCount: Int
    public var referenceCount: Int

    /// Computes every curve from the samples (machines in the samples' order).
    public init(samples: [FilteringSample], machines: [String], fractions: [Double] = FilteringCurve.defaultFractions) {
        self.fractions = fractions
        self.machines = machines
        self.imageCount = samples.count
        self.referenceCount = Set(samples.map(\.referenceID)).count
        // Severity only when it varies: a constant key ranks by file order, which means nothing.
        methods = Method.allCases.filter { m in
            !samples.isEmpty && samples.allSatisfy { m.key($0) != nil } && (m != .severity || Set(samples.compactMap(\.severity)).count > 1)
        }
        let metrics = Metric.allCases.filter { m in !samples.isEmpty && samples.allSatisfy { $0.outcomes[m] != nil } }
        let labelMetric: Metric = metrics.contains(.ap) ? .ap : .consistency
        self.metrics = metrics
        self.labelMetric = labelMetric
        chartMetric = metrics.contains(.ap75) ? .ap75 : .agreement
        var curves: [Curve] = []
        var srcc: [Method: Double] = [:]
        let meanLabel = samples.map { $0.mean(labelMetric) }
        for method in methods {
            let keys = samples.map { method.key($0) ?? 0 }
            if method != .random { srcc[method] = Correlation.srcc(keys, meanLabel) }
            for metric in metrics {
                let perMachine: [[Double]] = machines.indices.map { m in samples.map { $0.value(metric, machine: m) } }
                let mean = samples.map { $0.mean(metric) }
                for (name, outcome) in [("mean", mean)] + zip(machines, perMachine).map({ ($0, $1) }) {
                    let values = method == .random
                        ? FilteringCurve.randomMeans(outcome: outcome, fractions: fractions)
                        : FilteringCurve.keptMeans(keys: keys, outcome: outcome, fractions: fractions)
                    curves.append(Curve(method: method, metric: metric, machine: name, values: values))
                }
            }
        }
        self.curves = curves
        self.srcc = srcc
    }

    /// The curve of `method` and `metric` for `machine` ("mean" = over machines).
    public func curve(_ method: Method, _ metric: Metric, machine: String = "mean") -> Curve? {
        curves.first { $0.method == method && $0.metric == metric && $0.machine == machine }
    }
}
