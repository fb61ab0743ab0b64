import Foundation
import MIQA

/// The original's JSON for video analytics, field for field.
public enum VideoReport {
    /// One analysed video:
    /// `{video_path, video_name, type: "video", metadata: {total_frames, fps, duration, width, height},
    /// frame_results: [{frame_index, timestamp, quality_score}], per_second_results: [{second, timestamp,
    /// quality_score, min_score, max_score, num_frames, std_score}], num_frames_analyzed, num_seconds,
    /// average_quality, min_quality, max_quality, std_quality}`. `frame_index` is ours (the original
    /// kept only the timestamp); the rest is the original's layout. Width and height are as displayed
    /// (after rotation).
    public static func json(_ a: VideoAnalysis) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("video_path", .string(a.path)),
            ("video_name", .string(a.name)),
            ("type", .string("video")),
            ("metadata", .object([
                ("total_frames", .int(a.info.frameCount)),
                ("fps", .number(a.info.fps)),
                ("duration", .number(a.info.duration)),
                ("width", .int(a.info.width)),
                ("height", .int(a.info.height)),
            ])),
            ("frame_results", .array(a.frames.map {
                .object([("frame_index", .int($0.frameIndex)), ("timestamp", .number($0.timestamp)),
                         ("quality_score", .number($0.score))])
            })),
            ("per_second_results", .array(a.seconds.map {
                .object([("second", .int($0.second)), ("timestamp", .number(Double($0.second))),
                         ("quality_score", .number($0.mean)), ("min_score", .number($0.min)),
                         ("max_score", .number($0.max)), ("num_frames", .int($0.frameCount)),
                         ("std_score", .number($0.std))])
            })),
            ("num_frames_analyzed", .int(a.frames.count)),
            ("num_seconds", .int(a.seconds.count)),
            ("average_quality", .number(a.summary.average)),
            ("min_quality", .number(a.summary.min)),
            ("max_quality", .number(a.summary.max)),
            ("std_quality", .number(a.summary.std)),
        ]
        if !a.warnings.isEmpty { pairs.append(("warnings", .array(a.warnings.map(JSONValue.string)))) }
        return .object(pairs)
    }

    /// A video that could not be analysed: `{video_path, video_name, type: "video", error}`.
    public static func failure(path: String, error: String) -> JSONValue {
        .object([("video_path", .string(path)), ("video_name", .string((path as NSString).lastPathComponent)),
                 ("type", .string("video")), ("error", .string(error))])
    }

    /// An image input, scored as an image: `{image_path, image_name, quality_score, type: "image"}`
    /// (`quality_score: null` and an `error` when it failed).
    public static func image(_ r: ImageScore) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("image_path", .string(r.path)), ("image_name", .string(r.name)),
                                            ("quality_score", r.score.map { .number(Double($0)) } ?? .null),
                                            ("type", .string("image"))]
        if let e = r.error { pairs.append(("error", .string(e))) }
        return .object(pairs)
    }

    /// The whole file: `{metadata: {task, model, metric_type, timestamp, total_files}, predictions}`.
    public static func document(card: ModelCard, predictions: [JSONValue], date: Date = Date()) -> JSONValue {
        let stamp = ISO8601DateFormatter().string(from: date)
        return .object([
            ("metadata", .object([("task", card.task.map(JSONValue.string) ?? .null), ("model", .string(card.model)),
                                  ("metric_type", card.label.map(JSONValue.string) ?? .null),
                                  ("timestamp", .string(stamp)), ("total_files", .int(predictions.count))])),
            ("predictions", .array(predictions)),
        ])
    }
}
