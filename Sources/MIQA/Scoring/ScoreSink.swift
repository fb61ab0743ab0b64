import Foundation

/// Where scores go as they are produced. Sinks stream: each result is written when it arrives, so
/// a folder of any size runs in constant memory and an interrupted run keeps what it wrote.
public protocol ScoreSink: AnyObject {
    /// Writes one result. Throws `DatasetError.writeFailed` naming the destination when it
    /// cannot be written (full disk, closed pipe).
    func write(_ result: ImageScore) throws
    /// Called once after the last result.
    func finish() throws
}

/// Writes text to a file or standard output, line by line; every failed write is reported
/// (naming the file, or "standard output") instead of being lost or trapping.
final class TextOutput {
    private let handle: FileHandle
    private let closeAtEnd: Bool
    /// The destination as messages name it.
    let name: String

    /// Opens (creates or truncates) `path`, or standard output when nil.
    init(path: String?) throws {
        if let path {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw DatasetError.writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
            handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            closeAtEnd = true
            name = path
        } else {
            handle = FileHandle.standardOutput
            closeAtEnd = false
            name = "standard output"
        }
    }

    func line(_ s: String) throws {
        do { try handle.write(contentsOf: Data((s + "\n").utf8)) } catch {
            throw DatasetError.writeFailed(path: name, reason: AtomicFile.reason(error))
        }
    }

    /// Closes a file; `fsync` first, so a full disk that only shows at write-back is reported too.
    func close() throws {
        guard closeAtEnd else { return }
        if fsync(handle.fileDescriptor) != 0, errno != EINVAL, errno != EROFS {
            let reason = String(cString: strerror(errno))
            try? handle.close()
            throw DatasetError.writeFailed(path: name, reason: reason)
        }
        do { try handle.close() } catch {
            throw DatasetError.writeFailed(path: name, reason: AtomicFile.reason(error))
        }
    }
}

/// CSV: `image_path,image_name,quality_score,error`, one row per image as it is scored.
public final class CSVSink: ScoreSink {
    private let out: TextOutput
    public init(path: String?) throws {
        out = try TextOutput(path: path)
        try out.line(ScoreReport.csvHeader)
    }
    public func write(_ r: ImageScore) throws { try out.line(ScoreReport.csvRow(r)) }
    public func finish() throws { try out.close() }
}

/// JSON Lines: one object per image (`image_path, image_name, quality_score[, error]`).
public final class JSONLSink: ScoreSink {
    private let out: TextOutput
    public init(path: String?) throws { out = try TextOutput(path: path) }
    public func write(_ r: ImageScore) throws { try out.line(ScoreReport.jsonObject(r)) }
    public func finish() throws { try out.close() }
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
        try out.line("{\n  \"predictions\": [")
    }

    public func write(_ r: ImageScore) throws {
        try out.line((count == 0 ? "    " : "    ,") + ScoreReport.jsonObject(r))
        count += 1
    }

    public func finish() throws {
        try out.line("  ],\n  \"metadata\": " + ScoreReport.metadataJSON(card: card, count: count) + "\n}")
        try out.close()
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
        try out.line("image".padding(toLength: width, withPad: " ", startingAt: 0) + "  score")
    }

    public func write(_ result: ImageScore) throws {
        let r = ScoreReport.checked(result)
        summary.add(r)
        let name = r.name.count > width ? String(r.name.prefix(width - 1)) + "~" : r.name.padding(toLength: width, withPad: " ", startingAt: 0)
        try out.line(name + "  " + (r.score.map { String(format: "%.4f", $0) } ?? "error: \(r.error ?? "?")"))
    }

    public func finish() throws {
        for line in summary.lines() { try out.line(line) }
        try out.close()
    }
}
