import Foundation

/// The 10 distortion types of MIQD-2.5M, named as in its file names.
///
/// Each has 12 candidate parameter tuples (MIQA-FACTS section 3), weakest
/// first and strongest last; `SeverityLevels` picks 5 of them per image.
public enum DistortionType: String, CaseIterable, Sendable {
    case gaussian_noise, glass_blur, motion_blur, defocus_blur, contrast
    case pixelate, jpeg_compression, darkness, snow, fog

    /// Number of values in one parameter tuple of this type.
    public var parameterCount: Int {
        switch self {
        case .gaussian_noise, .contrast, .pixelate, .jpeg_compression, .darkness: return 1
        case .motion_blur, .defocus_blur, .fog: return 2
        case .glass_blur: return 3
        case .snow: return 7
        }
    }

    /// Whether the output depends on the seed.
    public var isRandom: Bool {
        switch self {
        case .gaussian_noise, .glass_blur, .motion_blur, .snow, .fog: return true
        default: return false
        }
    }

    /// The 12 candidate parameter tuples, weakest first.
    ///
    /// - gaussian_noise: noise std on 0...1 pixels, 12 log-spaced values 0.01...1.
    /// - darkness: amount subtracted from HSV value, 12 log-spaced values 0.015...0.7.
    /// - contrast: factor around the per-channel mean.
    /// - pixelate: down-scale factor.
    /// - jpeg_compression: quality, 12 linearly spaced values 100...0.1, used as `Int(q)`.
    /// - motion_blur: (radius, sigma); defocus_blur: (disk radius, alias blur).
    /// - glass_blur: (sigma, max_delta, iterations).
    /// - fog: (fractal amount, wibble decay).
    /// - snow: (loc, scale, zoom, threshold, blur radius, blur sigma, blend), linearly
    ///   interpolated between two 7-tuples.
    public var candidates: [[Double]] {
        switch self {
        case .gaussian_noise: return Self.geomspace(0.01, 1, 12).map { [$0] }
        case .darkness: return Self.geomspace(0.015, 0.7, 12).map { [$0] }
        case .contrast:
            let t: [Double] = [0.9, 0.818, 0.736, 0.655, 0.573, 0.491, 0.409, 0.327, 0.246, 0.164, 0.082, 0.05]
            return t.map { [$0] }
        case .pixelate:
            let t: [Double] = [0.95, 0.865, 0.78, 0.695, 0.61, 0.525, 0.44, 0.355, 0.27, 0.185, 0.1, 0.07]
            return t.map { [$0] }
        case .jpeg_compression: return Self.linspace(100, 0.1, 12).map { [$0] }
        case .motion_blur:
            let t: [[Double]] = [[1.4, 0.6], [1.5, 0.7], [2, 0.9], [4, 1.5], [7, 2.5], [10.5, 3.5], [15, 5], [20, 7],
                    [27, 10], [35, 14], [47, 20], [60, 30]]
            return t
        case .defocus_blur:
            let t: [[Double]] = [[0.95, 0.5], [0.99, 0.54], [0.99, 0.6], [0.99, 0.7], [0.999, 0.9], [1, 0.9], [2, 0.1],
                    [3, 0.5], [5, 0.5], [7, 0.8], [9, 0.9], [12, 0.9]]
            return t
        case .glass_blur:
            let t: [[Double]] = [[0.4, 1, 0.4], [0.42, 1.5, 0.8], [0.45, 1.5, 0.9], [0.49, 1.5, 0.9], [0.55, 1.5, 0.9],
                    [0.65, 2, 0.9], [0.8, 2.5, 0.9], [1.2, 2.5, 0.99], [1.5, 2, 1.2], [2, 2, 2], [3, 3, 3],
                    [4, 5, 4]]
            return t
        case .fog:
            let t: [[Double]] = [[0.1, 3.0], [0.13, 2.85], [0.2, 2.5], [0.25, 2.2], [0.3, 2.05], [0.34, 1.89], [0.45, 1.7],
                    [0.7, 1.6], [0.9, 1.5], [1.5, 1.5], [2.9, 1.3], [5.0, 1.3]]
            return t
        case .snow:
            let a: [Double] = [0.05, 0.1, 1, 0.3, 5, 2, 1]
            let b: [Double] = [0.6, 0.4, 5, 0.9, 15, 15, 0.5]
            // Same operation order as NumPy's `a + (b - a) * i / 11`, so the values are bitwise equal.
            func value(_ i: Int, _ k: Int) -> Double {
                let span: Double = b[k] - a[k]
                let scaled: Double = span * Double(i)
                return a[k] + scaled / 11
            }
            return (0..<12).map { i in (0..<7).map { k in value(i, k) } }
        }
    }

    /// `np.geomspace(a, b, n)`: 10 ** linspace(log10 a, log10 b), ends exact.
    static func geomspace(_ a: Double, _ b: Double, _ n: Int) -> [Double] {
        var v = linspace(log10(a), log10(b), n).map { pow(10, $0) }
        v[0] = a
        v[n - 1] = b
        return v
    }

    /// `np.linspace(a, b, n)`: i * step + a, last value exactly b.
    static func linspace(_ a: Double, _ b: Double, _ n: Int) -> [Double] {
        let step = (b - a) / Double(n - 1)
        var v = (0..<n).map { Double($0) * step + a }
        v[n - 1] = b
        return v
    }
}
