import Foundation
import Imaging

/// The filtering test's outputs: a text table, `filtering.csv` (every curve, long format),
/// `filtering.json` (curves, SRCCs, counts, what ran), `samples.csv` (one line per image, so that
/// any curve can be recomputed elsewhere) and `filtering.png` (top-1 agreement against the
/// dropped fraction, one line per method).
public struct FilteringReport {
    public static let curvesFile = "filtering.csv"
    public static let jsonFile = "filtering.json"
    public static let samplesFile = "samples.csv"
    public static let chartFile = "filtering.png"

    public let result: FilteringResult
    public let samples: [FilteringSample]
    /// The predictor's card name, for titles.
    public let predictorName: String
    /// Images (or references) that could not be used, as reported.
    public let failures: [String]
    /// How clean references score against their own distortions (nil without samples).
    public let clean: CleanScoreSummary?

    public init(result: FilteringResult, samples: [FilteringSample], predictorName: String, failures: [String]) {
        self.result = result
        self.samples = samples
        self.predictorName = predictorName
        self.failures = failures
        self.clean = CleanScoreSummary(samples: samples)
    }

    static func format(_ v: Double) -> String { v.isFinite ? String(format: "%.4f", v) : "nan" }

    /// The table printed by the command: both metrics averaged over machines, and the gain of
    /// each method over keeping everything at the largest fraction.
    public func table() -> String {
        let r = result
        var out = "filtering test: \(r.imageCount) distorted images of \(r.referenceCount) references; machines: \(r.machines.joined(separator: ", ")); predictor: \(predictorName)\n"
        let srcc = r.methods.compactMap { m in r.srcc[m].map { "\(m.rawValue) \(Self.format($0))" } }
        out += "SRCC with the machines' mean \(r.labelMetric.rawValue): \(srcc.joined(separator: ", "))\n"
        if let c = clean {
            out += "clean references: median score \(Self.format(c.medianCleanScore)), median percentile among their own distortions \(Self.format(c.medianPercentile)), distorted images scoring above their clean reference \(Self.format(c.distortedAboveClean))\n"
        }
        for metric in r.metrics {
            out += "\nmean \(metric.title) on the images kept after dropping the lowest fraction p\n"
            out += (["p"] + r.methods.map(\.rawValue)).map { $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined() + "\n"
            for (i, p) in r.fractions.enumerated() {
                let cells = [String(format: "%.2f", p)] + r.methods.map { Self.format(r.curve($0, metric)?.values[i] ?? .nan) }
                out += cells.map { $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined() + "\n"
            }
            if r.fractions.count > 1 {
                let last = r.fractions.count - 1
                let gains = r.methods.map { m -> String in
                    guard let v = r.curve(m, metric)?.values else { return "\(m.rawValue) nan" }
                    return "\(m.rawValue) \(v[last] - v[0] >= 0 ? "+" : "")\(Self.format(v[last] - v[0]))"
                }
                out += "gain at p = \(String(format: "%.2f", r.fractions[last])): \(gains.joined(separator: ", "))\n"
            }
        }
        return out
    }

    /// `method,metric,machine,fraction,value` for every curve.
    public func curvesCSV() -> String {
        var out = "method,metric,machine,fraction,value\n"
        for c in result.curves {
            for (p, v) in zip(result.fractions, c.values) {
                out += "\(c.method.rawValue),\(c.metric.rawValue),\(ScoreReport.csvField(c.machine)),\(p),\(v.isFinite ? "\(v)" : "")\n"
            }
        }
        return out
    }

    /// One line per image: names, the keys and each machine's outcomes.
    public func samplesCSV() -> String {
        // Label metric first (consistency, ap), as the first version of this file had it.
        let columnMetrics = [result.labelMetric] + result.metrics.filter { $0 != result.labelMetric }
        let machineColumns = result.machines.flatMap { name in columnMetrics.map { "\($0.rawValue)_\(name)" } }
        var out = (["image", "reference", "score", "reference_score", "sharpness", "psnr", "severity"] + machineColumns).joined(separator: ",") + "\n"
        for s in samples {
            var fields = [ScoreReport.csvField(s.image), ScoreReport.csvField(s.referenceID), "\(s.score)", "\(s.referenceScore)", "\(s.sharpness)",
                          "\(s.psnr)", s.severity.map { "\($0)" } ?? ""]
            for m in result.machines.indices { fields += columnMetrics.map { "\(s.value($0, machine: m))" } }
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// The content of filtering.json (NaN as null).
    public func jsonObject() -> [String: Any] {
        var curves: [[String: Any]] = []
        for c in result.curves {
            curves.append(["method": c.method.rawValue, "metric": c.metric.rawValue, "machine": c.machine,
                           "values": c.values.map(EvaluationJSON.number)])
        }
        var srcc: [String: Any] = [:]
        for (m, v) in result.srcc { srcc[m.rawValue] = EvaluationJSON.number(v) }
        var cleanObject: Any = NSNull()
        if let c = clean {
            cleanObject = ["references": c.references, "median_clean_score": EvaluationJSON.number(c.medianCleanScore),
                     "median_percentile": EvaluationJSON.number(c.medianPercentile),
                     "distorted_above_clean": EvaluationJSON.number(c.distortedAboveClean)]
        }
        return [
            "clean_references": cleanObject,
            "predictor": predictorName,
            "machines": result.machines,
            "fractions": result.fractions,
            "methods": result.methods.map(\.rawValue),
            "counts": ["images": result.imageCount, "references": result.referenceCount, "failed": failures.count],
            "srcc_with_mean_\(result.labelMetric.rawValue)": srcc,
            "metrics": result.metrics.map(\.rawValue),
            "curves": curves,
            "failures": failures,
        ]
    }

    /// The chart metric (top-1 agreement, or AP@0.75 for detectors; mean over machines) against the dropped fraction.
    public func chart() -> LineChart {
        let palette: [FilteringResult.Method: CanvasColor] = [.predictor: .blue, .random: .grey, .sharpness: .orange,
                                                             .psnr: .green, .severity: .purple]
        var chart = LineChart(title: "Filtering test: \(predictorName)", xLabel: "Fraction of images dropped (lowest ranked first)",
                              yLabel: result.chartMetric == .ap75 ? "AP@0.75 on the kept images" : "Top-1 agreement on the kept images")
        chart.series = result.methods.compactMap { m in
            guard let c = result.curve(m, result.chartMetric) else { return nil }
            let points = zip(result.fractions, c.values).filter { $0.1.isFinite }.map { (x: $0.0, y: $0.1) }
            return .init(name: m == .predictor ? "predictor (\(predictorName))" : m.rawValue, points: points,
                         color: palette[m] ?? .black, width: m == .predictor ? 3 : 2, dashed: m == .random, markers: true)
        }
        let ys = chart.series.flatMap { $0.points.map(\.y) }
        if let lo = ys.min(), let hi = ys.max() {
            let pad = max(0.01, (hi - lo) * 0.1)
            chart.yRange = max(0, lo - pad)...min(1, hi + pad)
        }
        chart.stats = ["Images: \(result.imageCount)", "References: \(result.referenceCount)", "Machines: \(result.machines.count)"]
            + result.methods.compactMap { m in result.srcc[m].map { "SRCC \(m.rawValue): \(Self.format($0))" } }
        return chart
    }

    /// Writes the four files into `directory` (created if needed), each atomically.
    @discardableResult
    public func write(to directory: URL) throws -> [URL] {
        try AtomicFile.makeDirectory(directory)
        let urls = [Self.curvesFile, Self.jsonFile, Self.samplesFile, Self.chartFile].map { directory.appendingPathComponent($0) }
        try AtomicFile.write(curvesCSV(), to: urls[0])
        try AtomicFile.write(EvaluationJSON.encode(jsonObject()), to: urls[1])
        try AtomicFile.write(samplesCSV(), to: urls[2])
        try AtomicFile.write(chart().render(width: 1100, height: 650).pngData(), to: urls[3])
        return urls
    }
}
