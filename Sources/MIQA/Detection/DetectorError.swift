import Foundation

/// What can go wrong building or running a detector; every message names the file or section.
public enum DetectorError: Error, CustomStringConvertible, Sendable {
    /// The `.cfg` cannot be read as a network (syntax, an unknown layer type, a bad option).
    case badConfig(String)
    /// The weights do not fit the configuration (counts, shapes, non-finite values).
    case badWeights(String)
    /// The detector is not installed or its files are unreadable.
    case notAvailable(String)

    public var description: String {
        switch self {
        case let .badConfig(m): return "detector configuration: \(m)"
        case let .badWeights(m): return "detector weights: \(m)"
        case let .notAvailable(m): return m
        }
    }
}
