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
        /// Top-1 agreement with the machine's answer on the reference (0 or 1 per image).
        case agreement
        /// The probability of the reference's top-1 class (the consistency label).
        case consistency
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
    public var curves: [Curve]
    /// Spearman correlation of each method's key with the machines' mean consistency (not for random).
    public var srcc: [Method: Double]
    public var imageCount: Int
    public var referenceCount: Int

    /// Computes every curve from the samples (machines in the samples' order).
    public init(samples: [FilteringSample], machines: [String], fractions: [Double] = FilteringCurve.defaultFractions) {
        self.fractions = fractions
        self.machines = machines
        self.imageCount = samples.count
        self.referenceCount = Set(samples.map(\.referenceID)).count
        methods = Method.allCases.filter { m in !samples.isEmpty && samples.allSatisfy { m.key($0) != nil } }
        var curves: [Curve] = []
        var srcc: [Method: Double] = [:]
        let meanConsistency = samples.map(\.meanConsistency)
        for method in methods {
            let keys = samples.map { method.key($0) ?? 0 }
            if method != .random { srcc[method] = Correlation.srcc(keys, meanConsistency) }
            for metric in Metric.allCases {
                let perMachine: [[Double]] = machines.indices.map { m in
                    samples.map { metric == .agreement ? $0.agreement[m] : $0.consistency[m] }
                }
                let mean = samples.map { metric == .agreement ? $0.meanAgreement : $0.meanConsistency }
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
