import Foundation

/// Why a segmenter cannot be loaded or run; every case names what it is about.
public enum SegmenterError: Error, CustomStringConvertible, Equatable {
    /// Not installed, or installed files that are not a segmenter's.
    case notAvailable(String)
    /// The model ran but its output is not a mask (wrong shape, not finite).
    case badOutput(String)

    public var description: String {
        switch self {
        case let .notAvailable(why): return why
        case let .badOutput(why): return why
        }
    }
}
