import Foundation

/// Why a machine run through the ONNX importer (a segmenter, a user's classifier) cannot be
/// loaded or run; every case names the model or file it is about.
public enum ONNXMachineError: Error, CustomStringConvertible, Equatable {
    /// Not installed, or installed files that are not a segmenter's.
    case notAvailable(String)
    /// The model ran but its output is not what its kind answers (wrong shape, not finite).
    case badOutput(String)

    public var description: String {
        switch self {
        case let .notAvailable(why): return why
        case let .badOutput(why): return why
        }
    }
}
