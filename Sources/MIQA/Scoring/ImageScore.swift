import Foundation

/// One input's outcome: a score, or the reason it could not be scored.
public struct ImageScore: Sendable, Equatable {
    public var path: String
    public var score: Float?
    public var error: String?

    public var name: String { (path as NSString).lastPathComponent }

    /// An error's message without a leading "<path>: " (the result already carries the path).
    public static func reason(_ error: Error, path: String) -> String {
        let text = "\(error)"
        // Decoders name the file as they opened it: as typed, absolute, or by its last component.
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        for prefix in [path + ": ", absolute + ": ", (path as NSString).lastPathComponent + ": "] where text.hasPrefix(prefix) {
            return String(text.dropFirst(prefix.count))
        }
        return text
    }

    public init(path: String, score: Float?, error: String? = nil) {
        self.path = path
        self.score = score
        self.error = error
    }
}
