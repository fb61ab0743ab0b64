import Foundation

/// Writing scores in the original's JSON layout, as CSV, or as a table with a summary.
public enum ScoreReport {
    /// `{"metadata": {task, model, metric_type, timestamp, num_images}, "predictions": [...]}`,
    /// with `quality_score: null` and an `error` for failures, as the original writes.
    public static func json(_ results: [ImageScore], card: ModelCard) -> String {
        var predictions: [[String: Any]] = []
        for r in results {
            var p: [String: Any] = ["image_path": r.path, "image_name": r.name, "quality_score": r.score.map { Double($0) } ?? NSNull()]
            if let e = r.error { p["error"] = e }
            predictions.append(p)
        }
        let metadata: [String: Any] = [
            "task": card.task ?? NSNull(), "model": card.model, "metric_type": card.label ?? NSNull(),
            "timestamp": ISO8601DateFormatter().string(from: Date()), "num_images": results.count,
        ]
        let object: [String: Any] = ["metadata": metadata, "predictions": predictions]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// One CSV row (`image_path,image_name,quality_score,error`), quoted where needed.
    public static func csvRow(_ r: ImageScore) -> String {
        [r.path, r.name, r.score.map { String(format: "%.6f", $0) } ?? "", r.error ?? ""].map(csvField).joined(separator: ",")
    }

    public static let csvHeader = "image_path,image_name,quality_score,error"

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// A readable table and the original's summary: count, mean, min, max, std, 3 best, 3 worst.
    public static func table(_ results: [ImageScore]) -> String {
        var lines: [String] = []
        let width = min(60, max(10, results.map(\.name.count).max() ?? 10))
        lines.append("image".padding(toLength: width, withPad: " ", startingAt: 0) + "  score")
        for r in results {
            let name = r.name.count > width ? String(r.name.prefix(width - 1)) + "~" : r.name.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append(name + "  " + (r.score.map { String(format: "%.4f", $0) } ?? "error: \(r.error ?? "?")"))
        }
        lines.append(contentsOf: summary(results))
        return lines.joined(separator: "\n")
    }

    /// The summary lines alone.
    public static func summary(_ results: [ImageScore]) -> [String] {
        let scored = results.compactMap { r in r.score.map { (r.name, Double($0)) } }
        var lines = ["", "scored \(scored.count) of \(results.count) image(s)" + (scored.count < results.count ? ", \(results.count - scored.count) failed" : "")]
        guard !scored.isEmpty else { return lines }
        let values = scored.map(\.1)
        let mean = values.reduce(0, +) / Double(values.count)
        let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        lines.append(String(format: "mean %.4f  min %.4f  max %.4f  std %.4f", mean, values.min()!, values.max()!, std))
        let sorted = scored.sorted { $0.1 > $1.1 }
        lines.append("best:  " + sorted.prefix(3).map { "\($0.0) (\(String(format: "%.4f", $0.1)))" }.joined(separator: ", "))
        lines.append("worst: " + sorted.reversed().prefix(3).map { "\($0.0) (\(String(format: "%.4f", $0.1)))" }.joined(separator: ", "))
        return lines
    }
}
