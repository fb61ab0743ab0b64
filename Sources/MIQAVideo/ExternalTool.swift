import Foundation

/// Finding and running the `ffmpeg` and `ffprobe` programs.
///
/// We drive FFmpeg through its programs over pipes rather than linking libav*: the programs are
/// installed with the same FFmpeg 5.1 libraries, they handle every container and codec quirk
/// (edit lists, rotation, 10-bit, odd sizes) the same way users' own command lines do, a crash or
/// hang in a decoder cannot take the scoring process down with it, and raw RGB frames over a pipe
/// cost about a memory copy per frame, small beside decoding and inference (measurements in
/// tools/video/README.md).
public enum ExternalTool {
    /// The full path of `name` on `PATH` (or `MIQA_FFMPEG_DIR` when set), nil when missing.
    public static func path(of name: String) -> String? {
        var dirs: [String] = []
        if let dir = ProcessInfo.processInfo.environment["MIQA_FFMPEG_DIR"] { dirs.append(dir) }
        dirs += (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for dir in dirs where !dir.isEmpty {
            let candidate = (dir as NSString).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// `path(of:)` or an error telling the user how to install FFmpeg.
    public static func require(_ name: String) throws -> String {
        guard let p = path(of: name) else {
            throw VideoError("\(name) not found on PATH; install FFmpeg (Debian: apt-get install ffmpeg)")
        }
        return p
    }

    /// `path` as an FFmpeg input/output name that can only mean a local file. FFmpeg reads
    /// `scheme:rest` as a protocol URL, so a file really named `concat:x.mp4` or
    /// `http:clip.mp4` would otherwise be opened as a concatenation or a download; with the
    /// `file:` prefix every character after it is part of the file name.
    public static func ffmpegFileURL(_ path: String) -> String {
        "file:" + path
    }

    /// Input options that keep FFmpeg to local files while it reads: a playlist or reference
    /// movie saved under a video name cannot make it open a network or pipe protocol.
    static let localProtocolsOnly = ["-protocol_whitelist", "file"]

    /// Runs a program to completion and returns its exit status, standard output and the tail of
    /// its standard error. Both pipes are drained concurrently so a chatty program cannot block.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: Data, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errorTail = StderrTail(err.fileHandleForReading)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output, errorTail.text())
    }
}

/// Collects what a child process writes to standard error on a background thread, keeping the
/// last few kilobytes: enough to explain a failure, bounded for a long run that warns a lot.
final class StderrTail: @unchecked Sendable {
    private var buffer = Data()
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private static let limit = 8192

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock()
                buffer.append(chunk)
                if buffer.count > 2 * StderrTail.limit { buffer = buffer.suffix(StderrTail.limit) }
                lock.unlock()
            }
            done.signal()
        }
    }

    /// The collected text, after the writer closed its end (the process exited).
    func text() -> String {
        done.wait()
        done.signal()
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: buffer.suffix(StderrTail.limit), as: UTF8.self)
    }

    /// The last non-empty lines, for error messages.
    func lastLines(_ n: Int = 4) -> String {
        let lines = text().split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.suffix(n).joined(separator: "; ")
    }
}
