import Foundation
import Imaging

/// Decoded frames of a video, read as raw RGB24 from an `ffmpeg` process over a pipe.
///
/// Only the requested frames cross the pipe: a `select` filter picks them by decoded-frame
/// number `n` inside FFmpeg, and FFmpeg stops decoding after the last one. Seeking to each
/// frame's keyframe instead (one `-ss` per frame) took 89 s against 2 s for the select filter on
/// a 10 s 1080p H.264 file with 50 samples: with x264's default 250-frame keyframe interval every
/// seek decodes the group of pictures again from its start, and each one starts a process
/// (tools/video/README.md).
///
/// FFmpeg applies the stream's rotation while decoding (its default `-autorotate`), so frames
/// arrive upright with the displayed size `info.width x info.height`. Other pixel formats
/// (10-bit, 4:2:2, 4:4:4) are converted to 8-bit RGB by FFmpeg's scaler.
public final class FrameReader {
    public let info: VideoInfo
    /// Frame numbers delivered, in order (all frames when nil was requested).
    public let indices: [Int]
    private let process = Process()
    private let stdout: FileHandle
    private let errors: StderrTail
    private var delivered = 0
    private let path: String

    /// Above this many wanted frames a `select` expression (evaluated per frame, one term per
    /// index) costs more than sending every frame over the pipe and dropping the others here.
    static let selectLimit = 400

    /// Frames whose indices are not in `indices` are skipped; pass nil to read every frame.
    public init(path: String, info: VideoInfo, indices: [Int]? = nil, decoderThreads: Int? = nil) throws {
        self.path = path
        self.info = info
        let wanted = indices ?? Array(0..<info.frameCount)
        self.indices = wanted
        // `info` may not come from VideoProbe: the frame buffer size is checked here too.
        try VideoProbe.checkFrameSize(width: info.width, height: info.height)
        let ffmpeg = try ExternalTool.require("ffmpeg")
        var args = ["-nostdin", "-v", "error"] + ExternalTool.localProtocolsOnly
        if let decoderThreads { args += ["-threads", "\(decoderThreads)"] }
        args += ["-i", ExternalTool.ffmpegFileURL(path), "-map", "0:v:0", "-an", "-sn", "-dn"]
        let everyFrame = wanted.count == info.frameCount && wanted.last == info.frameCount - 1
        if !everyFrame && wanted.count <= FrameReader.selectLimit {
            let terms = wanted.map { "eq(n\\,\($0))" }.joined(separator: "+")
            args += ["-vf", "select='\(terms)'", "-frames:v", "\(wanted.count)"]
        }
        // passthrough: never duplicate or drop frames to fit a rate (variable-rate video).
        args += ["-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
        self.filtered = !everyFrame && wanted.count <= FrameReader.selectLimit
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = args
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        stdout = out.fileHandleForReading
        errors = StderrTail(err.fileHandleForReading)
        decodedPosition = 0
    }

    private let filtered: Bool
    /// Frame number of the next frame on the pipe when every frame is sent.
    private var decodedPosition: Int

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// The next wanted frame and its index, or nil when all were read or the video ended early
    /// (see `finish()` for why).
    public func next() throws -> (index: Int, image: RGBImage)? {
        while delivered < indices.count {
            guard let image = readFrame() else { return nil }
            if filtered {
                defer { delivered += 1 }
                return (indices[delivered], image)
            }
            let position = decodedPosition
            decodedPosition += 1
            if position == indices[delivered] {
                delivered += 1
                return (position, image)
            }
        }
        return nil
    }

    /// Stops FFmpeg (if frames remain unread) and checks how it ended. Returns the number of
    /// wanted frames that never arrived (0 when complete); throws when none arrived at all.
    @discardableResult
    public func finish() throws -> Int {
        if process.isRunning && delivered >= indices.count {
            process.terminate()  // it may still be decoding frames nobody wants
        }
        try? stdout.close()
        process.waitUntilExit()
        let missing = indices.count - delivered
        if delivered == 0 && !indices.isEmpty {
            let detail = errors.lastLines()
            throw VideoError("no frame could be decoded" + (detail.isEmpty ? "" : ": \(detail)"))
        }
        return missing
    }

    /// What FFmpeg last complained about (for warnings about missing frames).
    public var diagnostics: String { errors.lastLines() }

    /// Reads one whole frame; nil at end of stream (a partial last frame is dropped).
    private func readFrame() -> RGBImage? {
        let count = info.width * info.height * 3
        var pixels = [UInt8](repeating: 0, count: count)
        let fd = stdout.fileDescriptor
        let complete = pixels.withUnsafeMutableBytes { buf -> Bool in
            guard let base = buf.baseAddress else { return false }
            var got = 0
            while got < count {
                let n = read(fd, base + got, count - got)
                if n > 0 { got += n } else if n < 0 && errno == EINTR { continue } else { return false }
            }
            return true
        }
        return complete ? RGBImage(width: info.width, height: info.height, pixels: pixels) : nil
    }
}
