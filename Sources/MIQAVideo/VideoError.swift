import Foundation

/// Why a video could not be read, analysed or written. The message names the file and, for
/// FFmpeg failures, the last lines FFmpeg printed, so the user sees the real cause.
public struct VideoError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
