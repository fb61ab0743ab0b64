import Foundation

/// One input's outcome: a score, or the reason it could not be scored.
public struct ImageScore: Sendable, Equatable {
    public var path: String
    public var score: Float?
    public var error: String?

    public var name: String { (path as NSString).lastPathComponent }

    public init(path: String, score: Float?, error: String? = nil) {
        self.path = path
        self.score = score
        self.error = error
    }
}
