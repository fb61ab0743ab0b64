/// Where a training run's weights start (`miqa train --init`).
///
/// Coded as the same single string the command takes (`imagenet`, `none` or a path), so saved
/// run states stay readable and `--resume` compares like with like.
public enum TrainingInitialisation: Equatable, Sendable, Codable, CustomStringConvertible {
    /// The installed ImageNet EfficientNet-Lite0 with a fresh 1-output head.
    case imagenet
    /// PyTorch-style fresh initialisation.
    case none
    /// The weights of a checkpoint file.
    case checkpoint(String)

    /// `imagenet`, `none`, else a checkpoint path.
    public init(_ text: String) {
        switch text {
        case "imagenet": self = .imagenet
        case "none": self = .none
        default: self = .checkpoint(text)
        }
    }

    public var description: String {
        switch self {
        case .imagenet: return "imagenet"
        case .none: return "none"
        case let .checkpoint(path): return path
        }
    }

    public init(from decoder: Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
