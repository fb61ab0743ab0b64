import Foundation
import Imaging

/// Writes an H.264 MP4 through an `ffmpeg` process fed with raw RGB24 frames on its standard
/// input, copying (or, where MP4 cannot hold it, re-encoding to AAC) the audio of a source file.
///
/// Frames must all be `width x height`; both must be even (4:2:0 chroma halves them).
public final class FrameEncoder {
    public let width: Int
    public let height: Int
    private let process = Process()
    private let stdin: FileHandle
    private let errors: StderrTail
    public private(set) var framesWritten = 0
    private let output: String

    /// Audio codecs an MP4 file can carry as they are; anything else (PCM from .mov/.avi, Vorbis
    /// from WebM, FLAC...) is re-encoded to AAC.
    static let mp4AudioCodecs: Set<String> = ["aac", "mp3", "ac3", "eac3", "alac", "opus"]

    /// Starts the encoder.
    /// - Parameters:
    ///   - fps: the frame rate as FFmpeg reads it, e.g. "30000/1001".
    ///   - audioFrom: a file whose first audio stream (if any) goes into the output.
    ///   - audioCodec: that stream's codec (from `VideoProbe`), to choose copy or AAC.
    public init(output: String, width: Int, height: Int, fps: String, audioFrom source: String?, audioCodec: String?,
                preset: String = "veryfast", crf: Int = 18) throws {
        precondition(width % 2 == 0 && height % 2 == 0, "yuv420p needs even sizes")
        self.width = width
        self.height = height
        self.output = output
        let ffmpeg = try ExternalTool.require("ffmpeg")
        var args = ["-v", "error", "-y",
                    "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)", "-r", fps, "-i", "pipe:0"]
        if let source, audioCodec != nil {
            args += ExternalTool.localProtocolsOnly + ["-i", ExternalTool.ffmpegFileURL(source), "-map", "0:v:0", "-map", "1:a:0?"]
            args += FrameEncoder.mp4AudioCodecs.contains(audioCodec ?? "") ? ["-c:a", "copy"] : ["-c:a", "aac", "-b:a", "160k"]
        } else {
            args += ["-map", "0:v:0"]
        }
        // yuv420p: what every player decodes (libx264 would keep 4:4:4 from RGB input otherwise).
        args += ["-c:v", "libx264", "-preset", preset, "-crf", "\(crf)", "-pix_fmt", "yuv420p",
                 "-movflags", "+faststart", "-f", "mp4", ExternalTool.ffmpegFileURL(output)]
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = args
        let inPipe = Pipe(), err = Pipe()
        process.standardInput = inPipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        // A dead encoder must turn into an error from write(2), not a SIGPIPE that kills us.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        stdin = inPipe.fileHandleForWriting
        errors = StderrTail(err.fileHandleForReading)
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// Sends one frame of `width * height * 3` bytes.
    public func write(_ pixels: UnsafeRawBufferPointer) throws {
        precondition(pixels.count == width * height * 3, "frame size mismatch")
        let fd = stdin.fileDescriptor
        var sent = 0
        while sent < pixels.count {
            let n = Foundation.write(fd, pixels.baseAddress! + sent, pixels.count - sent)
            if n > 0 { sent += n } else if n < 0 && errno == EINTR { continue } else {
                try? stdin.close()
                process.waitUntilExit()
                throw VideoError("the video encoder stopped: \(errors.lastLines())")
            }
        }
        framesWritten += 1
    }

    /// Closes the input and waits for FFmpeg to finish the file.
    /// - Throws: when FFmpeg fails, and when it could not write the file although it exits 0:
    ///   FFmpeg 5 reports a full disk while writing the trailer ("Error writing trailer of ...:
    ///   No space left on device") and still exits 0, leaving a truncated file.
    public func finish() throws {
        try? stdin.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw VideoError("encoding \(output) failed: \(errors.lastLines())")
        }
        if let failure = FrameEncoder.writeFailure(in: errors.text()) {
            throw VideoError("writing \(FrameEncoder.finalName(of: output)) failed: \(failure)")
        }
    }

    /// The name the user asked for when `path` is `VideoAnnotator`'s hidden partial file
    /// (`.<name>.partial-<pid>.mp4` beside it), else `path`.
    static func finalName(of path: String) -> String {
        let name = (path as NSString).lastPathComponent
        guard name.hasPrefix("."), name.hasSuffix(".mp4"), let marker = name.range(of: ".partial-", options: .backwards) else { return path }
        let original = String(name[name.index(after: name.startIndex)..<marker.lowerBound])
        return ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(original)
    }

    /// FFmpeg's messages for output it could not write (muxer and file errors), which do not
    /// change its exit status; `-xerror` would, but it also stops on a damaged source audio
    /// packet, which we want FFmpeg to skip as before.
    static let writeFailureMarkers = ["Error writing trailer", "Error closing file", "av_interleaved_write_frame()",
                                      "Error submitting a packet to the muxer", "Error muxing"]

    /// The first line of `log` that reports a write failure, if any.
    static func writeFailure(in log: String) -> String? {
        log.split(whereSeparator: \.isNewline).first { line in writeFailureMarkers.contains { line.contains($0) } }
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Stops the encoder without finishing the file (after an error elsewhere).
    public func cancel() {
        try? stdin.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
