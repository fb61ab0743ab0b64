import Foundation

/// Reads a video's properties with `ffprobe -print_format json`.
public enum VideoProbe {
    /// Probes `path`. Throws a `VideoError` for files FFmpeg cannot open, files without a video
    /// stream (audio only, images) and videos with no frames.
    public static func probe(_ path: String) throws -> VideoInfo {
        let ffprobe = try ExternalTool.require("ffprobe")
        let result = try ExternalTool.run(ffprobe, ["-v", "error"] + ExternalTool.localProtocolsOnly
                                          + ["-print_format", "json", "-show_streams", "-show_format", ExternalTool.ffmpegFileURL(path)])
        guard result.status == 0 else {
            var reason = result.error.split(whereSeparator: \.isNewline).last.map(String.init) ?? "ffprobe failed"
            for name in [ExternalTool.ffmpegFileURL(path), path] where reason.hasPrefix(name + ": ") {
                reason.removeFirst(name.count + 2)  // the caller names the file
                break
            }
            throw VideoError("cannot open as a video (corrupt, truncated or not a video file): \(reason)")
        }
        guard let root = try? JSONSerialization.jsonObject(with: result.output) as? [String: Any],
              let streams = root["streams"] as? [[String: Any]] else {
            throw VideoError("ffprobe gave no stream list")
        }
        // Cover art in an audio file is a "video" stream with the attached_pic disposition: not a video.
        let videos = streams.filter {
            $0["codec_type"] as? String == "video" && (($0["disposition"] as? [String: Any])?["attached_pic"] as? Int ?? 0) == 0
        }
        guard let video = videos.first else { throw VideoError("no video stream (audio-only or not a video file)") }
        let audio = streams.first { $0["codec_type"] as? String == "audio" }

        let codedWidth = video["width"] as? Int ?? 0
        let codedHeight = video["height"] as? Int ?? 0
        guard codedWidth > 0, codedHeight > 0 else { throw VideoError("video stream has no picture size (corrupt header)") }
        try checkFrameSize(width: codedWidth, height: codedHeight)
        let rotation = rotationDegrees(video)
        let swapped = rotation == 90 || rotation == 270
        let avgRate = video["avg_frame_rate"] as? String ?? "0/0"
        let realRate = video["r_frame_rate"] as? String ?? "0/0"
        let rateText = rate(avgRate) > 0 ? avgRate : realRate
        var fps = rate(rateText)

        var frameCount = Int(video["nb_frames"] as? String ?? "") ?? 0
        var frameTimes: [Double]?
        // No count in the container (Matroska, WebM, some AVI) or a rate that varies: read the
        // packet times. This demuxes without decoding, so it costs little even for long files.
        if frameCount <= 0 || rate(avgRate) != rate(realRate) {
            let index = video["index"] as? Int ?? 0
            let times = try packetTimes(path, stream: index, ffprobe: ffprobe)
            frameCount = times.count
            if fps <= 0, times.count > 1, let last = times.last, last > 0 { fps = Double(times.count - 1) / last }
            if isVariable(times, fps: fps) { frameTimes = times }
        }
        guard frameCount > 0 else { throw VideoError("video stream has no frames") }
        guard fps > 0, fps.isFinite else { throw VideoError("video stream has no frame rate") }
        return VideoInfo(frameCount: frameCount, fps: fps, fpsFraction: rateText.contains("/") && rate(rateText) > 0 ? rateText : String(fps),
                         width: swapped ? codedHeight : codedWidth, height: swapped ? codedWidth : codedHeight,
                         rotation: rotation, pixelFormat: video["pix_fmt"] as? String ?? "unknown",
                         audioCodec: audio?["codec_name"] as? String, frameTimes: frameTimes)
    }

    /// Largest frame accepted, in pixels: 8192x4320, the biggest picture of H.264's and
    /// HEVC's top levels. A frame is held several times over (the pipe buffer, the queue of
    /// prepared frames, the annotator's output), so a forged header must not decide that.
    public static let maxFramePixels = 8192 * 4320
    /// Longest frame side accepted (twice H.264's 8192): a 32768x2 strip is tiny in pixels
    /// but its shorter-side resize to 288 would be 4718592x288.
    public static let maxFrameSide = 16384

    /// Throws unless a `width x height` frame is within `maxFramePixels` and `maxFrameSide`;
    /// checked before any frame buffer is allocated.
    public static func checkFrameSize(width: Int, height: Int) throws {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard width > 0, height > 0, !overflow, pixels <= maxFramePixels, max(width, height) <= maxFrameSide else {
            throw VideoError("frame size \(width)x\(height) exceeds the limit (at most \(maxFrameSide) pixels a side "
                             + "and \(maxFramePixels) pixels in all)")
        }
    }

    /// A rate written as "num/den" (or a plain number) in frames per second; 0 when undefined.
    static func rate(_ text: String) -> Double {
        let parts = text.split(separator: "/").compactMap { Double($0) }
        if parts.count == 2 { return parts[1] != 0 ? parts[0] / parts[1] : 0 }
        return parts.first ?? 0
    }

    /// Clockwise display rotation from the display-matrix side data (FFmpeg reports it
    /// counter-clockwise, hence the minus) or the older `rotate` tag.
    static func rotationDegrees(_ stream: [String: Any]) -> Int {
        var degrees = 0.0
        if let sides = stream["side_data_list"] as? [[String: Any]],
           let matrix = sides.first(where: { $0["rotation"] != nil }) {
            degrees = -((matrix["rotation"] as? Double) ?? Double(matrix["rotation"] as? Int ?? 0))
        } else if let tags = stream["tags"] as? [String: Any], let r = tags["rotate"] as? String, let v = Double(r) {
            degrees = v
        }
        let quarter = Int((degrees / 90).rounded()) * 90
        return ((quarter % 360) + 360) % 360
    }

    /// Presentation times of a stream's packets in display order, relative to the first.
    static func packetTimes(_ path: String, stream: Int, ffprobe: String) throws -> [Double] {
        let r = try ExternalTool.run(ffprobe, ["-v", "error"] + ExternalTool.localProtocolsOnly
                                     + ["-select_streams", "\(stream)", "-show_entries", "packet=pts_time",
                                        "-of", "csv=p=0", ExternalTool.ffmpegFileURL(path)])
        guard r.status == 0 else { throw VideoError("cannot read the video packets: \(r.error.split(whereSeparator: \.isNewline).last ?? "")") }
        let times = String(decoding: r.output, as: UTF8.self).split(whereSeparator: \.isNewline)
            .compactMap { Double($0.split(separator: ",").first.map(String.init) ?? "") }.sorted()
        guard let first = times.first else { return [] }
        return times.map { $0 - first }
    }

    /// True when frame intervals differ by more than half a nominal frame: real variable rate,
    /// not millisecond rounding of container time bases.
    static func isVariable(_ times: [Double], fps: Double) -> Bool {
        guard times.count > 2, fps > 0 else { return false }
        var lo = Double.infinity, hi = 0.0
        for i in 1..<times.count {
            let d = times[i] - times[i - 1]
            lo = min(lo, d); hi = max(hi, d)
        }
        return hi - lo > 0.5 / fps
    }
}
