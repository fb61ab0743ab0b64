/// Which frames of a video are scored.
public enum FrameSampling {
    /// The original's uniform sampling: every frame when the video has at most `count`, else
    /// `int(i * total / count)` for `i` in `0..<count`.
    ///
    /// The step is computed as the original does in floating point (`step = total / count`, then
    /// `int(i * step)`), so the indices match it exactly, including where a rounding of
    /// `i * step` lands just below a whole number.
    public static func uniform(total: Int, count: Int) -> [Int] {
        guard total > 0, count > 0 else { return [] }
        if total <= count { return Array(0..<total) }
        let step = Double(total) / Double(count)
        return (0..<count).map { Int(Double($0) * step) }
    }

    /// Every `every`-th frame starting with the first (annotation's `--every`).
    public static func strided(total: Int, every: Int) -> [Int] {
        Array(stride(from: 0, to: max(0, total), by: max(1, every)))
    }
}
