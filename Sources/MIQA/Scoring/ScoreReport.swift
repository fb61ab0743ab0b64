import Foundation

/// Formatting single results: the original's JSON objects and CSV rows.
public enum ScoreReport {
    /// The error of a result whose model output is NaN or infinite (a broken checkpoint).
    public static let nonFiniteError = "model output is not a finite number"

    /// `r` unchanged, or, when its score is NaN or infinite, an error row: every format then
    /// reports it the same way (JSON cannot even hold NaN) and it counts as failed.
    public static func checked(_ r: ImageScore) -> ImageScore {
        guard let s = r.score, !s.isFinite else { return r }
        return ImageScore(path: r.path, score: nil, error: nonFiniteError)
    }

    /// One prediction as a compact JSON object (`image_path, image_name, quality_score[, error]`).
    public static func jsonObject(_ result: ImageScore) -> String {
        let r = checked(result)
        var p: [String: Any] = ["image_path": r.path, "image_name": r.name, "quality_score": r.score.map { Double($0) } ?? NSNull()]
        if let e = r.error { p["error"] = e }
        return encode(p)
    }

    /// The original's metadata object: task, model, metric_type, timestamp, num_images.
    public static func metadataJSON(card: ModelCard, count: Int) -> String {
        encode(["task": card.task ?? NSNull(), "model": card.model, "metric_type": card.label ?? NSNull(),
                "timestamp": ISO8601DateFormatter().string(from: Date()), "num_images": count])
    }

    /// Strings, finite numbers and null only (`checked` removed NaN), so serialisation cannot fail;
    /// should it ever, the object says so instead of the process trapping.
    static func encode(_ object: [String: Any]) -> String {
        // Keys sorted for stable output; slashes unescaped so paths read naturally.
        guard JSONSerialization.isValidJSONObject(object),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return #"{"error":"result could not be encoded as JSON"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// One CSV row (`image_path,image_name,quality_score,error`), quoted where needed.
    public static func csvRow(_ result: ImageScore) -> String {
        let r = checked(result)
        return [r.path, r.name, r.score.map { String(format: "%.6f", $0) } ?? "", r.error ?? ""].map(csvField).joined(separator: ",")
    }

    public static let csvHeader = "image_path,image_name,quality_score,error"

    /// RFC 4180: a field with a comma, quote, CR or LF is quoted and its quotes doubled. Checked on
    /// Unicode scalars: Swift sees "\r\n" as one Character, equal to neither "\r" nor "\n".
    public static func csvField(_ s: String) -> String {
        let special = s.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        return special ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
