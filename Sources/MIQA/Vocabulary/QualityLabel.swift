/// Which machine label a predictor learns or is compared with (the original's `--metric-type`).
public enum QualityLabel: String, CaseIterable, Codable, Sendable {
    /// 0.5 x consistency + 0.5 x accuracy (fixed in the original).
    case composite
    /// Agreement of the machine's output on the distorted image with its output on the reference.
    case consistency
    /// Agreement of the machine's output on the distorted image with the ground truth.
    case accuracy
}
