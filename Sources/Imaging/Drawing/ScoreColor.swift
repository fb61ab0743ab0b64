/// The traffic-light colour of a quality score in 0...1: red at 0, yellow at
/// 0.5, green at 1, blended linearly in between.
///
/// The original toolkit scaled this ramp for 0...100 while its scores are
/// 0...1, so every badge came out red; here the ramp spans the real range.
public enum ScoreColor {
    static let red = (r: 0.84, g: 0.16, b: 0.14)
    static let yellow = (r: 0.97, g: 0.79, b: 0.15)
    static let green = (r: 0.15, g: 0.64, b: 0.27)
    static let grey = (r: 0.55, g: 0.55, b: 0.55)

    /// RGB components in 0...1 for `score` (clamped to 0...1; NaN gives grey).
    public static func color(for score: Double) -> (r: Double, g: Double, b: Double) {
        guard !score.isNaN else { return grey }
        let s = min(max(score, 0), 1)
        func mix(_ a: (r: Double, g: Double, b: Double), _ b: (r: Double, g: Double, b: Double), _ t: Double)
            -> (r: Double, g: Double, b: Double) {
            (a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t)
        }
        return s < 0.5 ? mix(red, yellow, s / 0.5) : mix(yellow, green, (s - 0.5) / 0.5)
    }

    /// The same colour as a `CanvasColor`.
    public static func canvasColor(for score: Double, alpha: Double = 1) -> CanvasColor {
        CanvasColor(color(for: score), alpha: alpha)
    }
}
