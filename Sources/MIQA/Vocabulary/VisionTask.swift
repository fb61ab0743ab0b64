/// The downstream task a quality score is for (the original's `--task`): what kind of machine
/// looks at the image.
public enum VisionTask: String, CaseIterable, Codable, Sendable {
    /// Image classification.
    case cls
    /// Object detection.
    case det
    /// Instance segmentation.
    case ins
}
