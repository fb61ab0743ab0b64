import Foundation

/// The outcome of analysing one video: its properties, the sampled frames' scores, the
/// per-second aggregation and the video-level summary.
public struct VideoAnalysis: Sendable {
    public var path: String
    public var info: VideoInfo
    public var frames: [FrameScore]
    public var seconds: [SecondScore]
    public var summary: VideoSummary
    /// Problems that did not stop the analysis (e.g. sampled frames that could not be decoded).
    public var warnings: [String]

    public var name: String { (path as NSString).lastPathComponent }

    public init(path: String, info: VideoInfo, frames: [FrameScore], warnings: [String] = []) {
        self.path = path
        self.info = info
        self.frames = frames
        self.seconds = SecondAggregation.perSecond(frames)
        self.summary = SecondAggregation.summary(seconds) ?? VideoSummary(average: .nan, min: .nan, max: .nan, std: .nan)
        self.warnings = warnings
    }
}
