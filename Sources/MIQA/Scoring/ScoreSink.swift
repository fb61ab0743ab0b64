import Foundation

/// Where scores go as they are produced. Sinks stream: each result is written when it arrives, so
/// a folder of any size runs in constant memory and an interrupted run keeps what it wrote.
public protocol ScoreSink: AnyObject {
    func write(_ result: ImageScore)
    /// Called once after the last result.
    func finish()
}

/// Writes text to a file handle (standard output or a file), line by line.
final class TextOutput {
    private let handle: FileHandle
    private let closeAtEnd: Bool

    init(path: String?) throws {
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ModelNotAvailable(description: "cannot create output file \(path)")
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            closeAtEnd = true
        } else {
            handle = FileHandle.standardOutput
            closeAtEnd = false
        }
    }

    func line(_ s: String) { handle.write(Data((s + "\n").utf8)) }
    func close() { if closeAtEnd { try? handle.close() } }
}

/// CSV: `image_path,image_name,quality_score,error`, one row per image as it is scored.
public final class CSVSink: ScoreSink {
    private let out: TextOutput
    public init(path: String?) throws {
        out = try TextOutput(path: path)
        out.line(ScoreReport.csvHeader)
    }
    public func write(_ r: ImageScore) { out.line(ScoreReport.csvRow(r)) }
    public func finish() { out.close() }
}

/// JSON Lines: one object per image (`image_path, image_name, quality_score[, error]`).
public final class JSONLSink: ScoreSink {
    private let out: TextOutput
    public init(path: String?) throws { out = try TextOutput(path: path) }
    public func write(_ r: ImageScore) { out.line(ScoreReport.jsonObject(r)) }
    public func finish() { out.close() }
}

/// The original's JSON document. Predictions are streamed into the array as they come; the
/// metadata object (which needs the final count) is written after it, inside the same object,
/// so the document has exactly the original's keys.
public final class JSONSink: ScoreSink {
    private let out: TextOutput
    private let card: ModelCard
    private var count = 0

    public init(path: String?, card: ModelCard) throws {
        out = try TextOutput(path: path)
        self.card = card
        out.line("{\n  \"predictions\": [")
    }

    public func write(_ r: ImageScore) {
        out.line((count == 0 ? "    " : "    ,") + ScoreReport.jsonObject(r))
        count += 1
    }

    public func finish() {
        out.line("  ],\n  \"metadata\": " + ScoreReport.metadataJSON(card: card, count: count) + "\n}")
        out.close()
    }
}

/// A readable table, one row per image as it is scored, then the original's summary
/// (count, mean, min, max, std, 3 best, 3 worst), from running statistics.
public final class TableSink: ScoreSink {
    private let out: TextOutput
    private var summary = RunningSummary()
    private let width: Int

    public init(path: String?, nameWidth: Int = 40) throws {
        out = try TextOutput(path: path)
        width = nameWidth
        out.line("image".padding(toLength: width, withPad: " ", startingAt: 0) + "  score")
    }

    public func write(_ r: ImageScore) {
        summary.add(r)
        let name = r.name.count > width ? String(r.name.prefix(width - 1)) + "~" : r.name.padding(toLength: width, withPad: " ", startingAt: 0)
        out.line(name + "  " + (r.score.map { String(format: "%.4f", $0) } ?? "error: \(r.error ?? "?")"))
    }

    public func finish() {
        for line in summary.lines() { out.line(line) }
        out.close()
    }
}
