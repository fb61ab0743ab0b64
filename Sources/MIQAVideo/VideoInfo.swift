import Foundation

/// What `ffprobe` says about a video's first video stream, in the terms the analysis needs.
public struct VideoInfo: Sendable, Equatable {
    /// Number of frames (the container's count, or packets counted when it has none).
    public var frameCount: Int
    /// Average frame rate (`avg_frame_rate`), frames per second.
    public var fps: Double
    /// The same rate as FFmpeg's exact fraction, e.g. "30000/1001" (for the encoder's `-r`).
    public var fpsFraction: String
    /// Width and height as displayed: after rotation, which FFmpeg applies when decoding.
    public var width: Int
    public var height: Int
    /// Clockwise rotation the player applies, 0, 90, 180 or 270 degrees.
    public var rotation: Int
    /// Pixel format of the coded stream, e.g. "yuv420p" or "yuv420p10le".
    public var pixelFormat: String
    /// Codec of the first audio stream, nil when there is none.
    public var audioCodec: String?
    /// Presentation times of the frames in display order, relative to the first, when the frame
    /// rate varies (nil for constant-rate video, whose frame `i` is at `i / fps`).
    public var frameTimes: [Double]?

    /// Duration as the original computes it: frames / fps.
    public var duration: Double { fps > 0 ? Double(frameCount) / fps : 0 }

    /// Time of frame `index` in seconds: `index / fps` as the original does, or the frame's real
    /// presentation time for variable-rate video.
    public func timestamp(ofFrame index: Int) -> Double {
        if let frameTimes, index < frameTimes.count { return frameTimes[index] }
        return fps > 0 ? Double(index) / fps : Double(index)
    }

    public init(frameCount: Int, fps: Double, fpsFraction: String, width: Int, height: Int, rotation: Int = 0,
                pixelFormat: String = "yuv420p", audioCodec: String? = nil, frameTimes: [Double]? = nil) {
        self.frameCount = frameCount; self.fps = fps; self.fpsFraction = fpsFraction
        self.width = width; self.height = height; self.rotation = rotation
        self.pixelFormat = pixelFormat; self.audioCodec = audioCodec; self.frameTimes = frameTimes
    }
}
