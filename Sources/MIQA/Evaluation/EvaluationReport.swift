import Foundation

/// Writes an evaluation's files and its console summary:
/// - `predictions.csv`: `image_name,prediction,ground_truth,absolute_error` (the original's
///   columns), one row per scored image in input order; numbers in shortest round-trip form, so
///   metrics recomputed from the file equal the reported ones exactly;
/// - `metrics.json`: overall SRCC/PLCC/KRCC/RMSE, the logistic-fitted PLCC, breakdowns by
///   distortion type and region family, counts (failed images listed), model card and split;
/// - `scatter.png`: predictions against labels with the fitted logistic curve (`ScatterPlot`).
public struct EvaluationReport {
    /// Where the numbers came from, recorded in metrics.json.
    public struct Context {
        /// The predictor's card (its store name goes into metrics.json and the plot title).
        public var card: ModelCard
        /// Root folder of the database.
        public var dataRoot: String?
        /// The data's task (cls/det/ins); may differ from the model's (cross-dataset evaluation).
        public var dataTask: String?
        /// The label compared with: composite, consistency or accuracy.
        public var label: String?
        /// The split CSV used, if any.
        public var splitFile: String?
        /// Reference ids the split lists.
        public var splitReferences: [String] = []
        /// Split references without label files (left out).
        public var missingReferences: [String] = []

        /// A context; the reference lists are set separately.
        public init(card: ModelCard, dataRoot: String? = nil, dataTask: String? = nil, label: String? = nil,
                    splitFile: String? = nil) {
            self.card = card
            self.dataRoot = dataRoot
            self.dataTask = dataTask
            self.label = label
            self.splitFile = splitFile
        }
    }

    /// File names written into the output folder.
    public static let predictionsFile = "predictions.csv"
    /// See `predictionsFile`.
    public static let metricsFile = "metrics.json"
    /// See `predictionsFile`.
    public static let plotFile = "scatter.png"

    /// What is reported.
    public let result: EvaluationResult
    /// Where it came from.
    public let context: Context

    /// A report of `result`.
    public init(result: EvaluationResult, context: Context) {
        self.result = result
        self.context = context
    }

    /// Writes the three files into `directory` (created if needed); returns their URLs.
    @discardableResult
    public func write(to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let csv = directory.appendingPathComponent(Self.predictionsFile)
        let json = directory.appendingPathComponent(Self.metricsFile)
        let png = directory.appendingPathComponent(Self.plotFile)
        try Data(predictionsCSV().utf8).write(to: csv, options: .atomic)
        try EvaluationJSON.encode(metricsObject()).write(to: json, options: .atomic)
        try ScatterPlot(result: result, title: plotTitle, yLabel: "Ground-truth \(context.label.map { "\($0) label" } ?? "label")").render().pngData().write(to: png, options: .atomic)
        return [csv, json, png]
    }

    /// The header of predictions.csv (the original's columns).
    public static let csvHeader = "image_name,prediction,ground_truth,absolute_error"

    /// The text of predictions.csv.
    public func predictionsCSV() -> String {
        var out = Self.csvHeader + "\n"
        for r in result.scored {
            let p = r.prediction!
            out += [ScoreReport.csvField(r.name), "\(p)", "\(r.label)", "\(abs(p - r.label))"].joined(separator: ",") + "\n"
        }
        return out
    }

    var plotTitle: String {
        var t = context.card.name
        if let task = context.dataTask { t += " on \(task) data" }
        if let label = context.label { t += ", \(label) label" }
        return t
    }

    /// The content of metrics.json (NaN as null).
    public func metricsObject() -> [String: Any] {
        let c = context, card = c.card
        var logistic: [String: Any] = [
            "function": "(b1 - b2) / (1 + exp(-(x - b3) / |b4|)) + b2",
            "plcc": EvaluationJSON.number(result.fittedPLCC),
        ]
        if let fit = result.logistic {
            logistic["beta"] = fit.beta.map(EvaluationJSON.number)
            logistic["sse"] = EvaluationJSON.number(fit.sse)
            logistic["iterations"] = fit.iterations
            logistic["converged"] = fit.converged
        }
        var byDistortion: [String: Any] = [:]
        for (t, m) in result.byDistortion { byDistortion[t.rawValue] = m.jsonObject }
        var byRegion: [String: Any] = [:]
        for (k, m) in result.byRegion { byRegion[k.rawValue] = m.jsonObject }
        let optional: (String?) -> Any = { $0 ?? NSNull() }
        return [
            "model": ["name": card.name, "architecture": card.model, "task": optional(card.task),
                      "label": optional(card.label), "source": card.source],
            "data": ["root": optional(c.dataRoot), "task": optional(c.dataTask), "label": optional(c.label)],
            "cross_dataset": card.task != nil && c.dataTask != nil && card.task != c.dataTask,
            "split": ["file": optional(c.splitFile), "references_listed": c.splitReferences.count,
                      "references_evaluated": c.splitReferences.count - c.missingReferences.count,
                      "references_without_labels": c.missingReferences],
            "counts": ["images": result.rows.count, "scored": result.scored.count, "failed": result.failed.count,
                       "names_not_parsed": result.unparsedNames.count],
            "overall": result.overall.jsonObject,
            "logistic_fit": logistic,
            "by_distortion": byDistortion,
            "by_region": byRegion,
            "failed_images": result.failed.map { ["image": $0.name, "error": $0.error ?? ""] },
            "timestamp": ISO8601DateFormatter().string(from: Date()),
        ]
    }

    /// A plain-text summary: overall metrics, the fitted PLCC, and the two breakdown tables.
    public func table() -> String {
        func row(_ name: String, _ m: MetricSummary) -> String {
            func f(_ v: Double) -> String { v.isFinite ? String(format: "%7.4f", v) : "    n/a" }
            return name.padding(toLength: 18, withPad: " ", startingAt: 0)
                + String(format: "%8d ", m.count) + [m.srcc, m.plcc, m.krcc, m.rmse].map(f).joined(separator: " ")
        }
        let header = "group".padding(toLength: 18, withPad: " ", startingAt: 0) + "  images    SRCC    PLCC    KRCC    RMSE"
        var lines = [header, row("overall", result.overall)]
        lines.append(String(format: "PLCC after 4-parameter logistic fit: %@",
                            result.fittedPLCC.isFinite ? String(format: "%.4f", result.fittedPLCC) : "n/a"))
        if !result.byDistortion.isEmpty {
            lines += ["", "by distortion type", header] + result.byDistortion.map { row($0.type.rawValue, $0.metrics) }
        }
        if !result.byRegion.isEmpty {
            lines += ["", "by region configuration", header] + result.byRegion.map { row($0.kind.rawValue, $0.metrics) }
        }
        var notes: [String] = []
        if !result.failed.isEmpty { notes.append("\(result.failed.count) image(s) could not be scored and are excluded") }
        if !result.unparsedNames.isEmpty { notes.append("\(result.unparsedNames.count) name(s) are not MIQD names (in no breakdown)") }
        if !context.missingReferences.isEmpty {
            notes.append("\(context.missingReferences.count) split reference(s) have no labels and are left out")
        }
        if !notes.isEmpty { lines += [""] + notes }
        return lines.joined(separator: "\n")
    }
}
