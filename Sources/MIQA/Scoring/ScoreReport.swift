import Foundation

/// Formatting single results: the original's JSON objects and CSV rows.
public enum ScoreReport {
    /// One prediction as a compact JSON object (`image_path, image_name, quality_score[, error]`).
    public static func jsonObject(_ r: ImageScore) -> String {
        var p: [String: Any] = ["image_path": r.path, "image_name": r.name, "quality_score": r.score.map { Double($0) } ?? NSNull()]
        if let e = r.error { p["error"] = e }
        return encode(p)
    }

    /// The original's metadata object: task, model, metric_type, timestamp, num_images.
    public static func metadataJSON(card: ModelCard, count: Int) -> String {
        encode(["task": card.task ?? NSNull(), "model": card.model, "metric_type": card.label ?? NSNull(),
                "timestamp": ISO8601DateFormatter().string(from: Date()), "num_images": count])
    }

    static func encode(_ object: [String: Any]) -> String {
        // Keys sorted for stable output; slashes unescaped so paths read naturally.
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
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
}
