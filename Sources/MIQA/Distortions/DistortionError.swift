/// Why a distortion, metric or fusion could not run.
public enum DistortionError: Error, Equatable, CustomStringConvertible {
    /// The parameter tuple has the wrong number of values for the type.
    case badParameter(type: String, expected: Int, got: Int)
    /// The image is too small for the operation (e.g. 5-scale MS-SSIM needs >= 176 px per side).
    case imageTooSmall(operation: String, width: Int, height: Int, minimum: Int)
    /// Two images that must have the same size do not.
    case sizeMismatch(String)

    public var description: String {
        switch self {
        case let .badParameter(type, expected, got):
            return "\(type) takes \(expected) parameter value(s), got \(got)"
        case let .imageTooSmall(op, w, h, minimum):
            return "\(op) needs at least \(minimum) px per side, image is \(w)x\(h)"
        case let .sizeMismatch(what):
            return "size mismatch: \(what)"
        }
    }
}
