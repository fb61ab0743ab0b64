import Imaging

/// One distortion at one parameter tuple: a type plus the values of one of
/// its candidates (or any other values of the same shape).
///
/// `apply` follows the ImageNet-C corruption functions as implemented in the
/// `imagecorruptions` package, called with these values in place of its
/// severity table, including its float pipeline, clipping and final
/// truncating `np.uint8` conversion. Deviations (documented on each type's
/// implementation and in tools/distortions/README.md): our random streams are
/// not NumPy's; non-integer glass-blur counts go through `Int()`; motion-blur
/// kernel widths use `2 * ceil(radius) + 1`; darkness is MIQD's own (HSV value
/// minus the amount).
public struct Distortion: Sendable, Equatable {
    /// The distortion type.
    public let type: DistortionType
    /// The parameter tuple (`type.parameterCount` values).
    public let parameter: [Double]

    /// A distortion with explicit parameter values.
    /// - Throws: `DistortionError.badParameter` when the tuple has the wrong length.
    public init(type: DistortionType, parameter: [Double]) throws {
        guard parameter.count == type.parameterCount else {
            throw DistortionError.badParameter(type: type.rawValue, expected: type.parameterCount, got: parameter.count)
        }
        self.type = type
        self.parameter = parameter
    }

    /// Candidate `candidate` (0-based, 0 weakest ... 11 strongest) of `type`.
    public init(type: DistortionType, candidate: Int) {
        self.type = type
        self.parameter = type.candidates[candidate]
    }

    /// Distorts `image`. The result is a function of `(image, type, parameter, seed)`
    /// only; deterministic types ignore `seed`.
    public func apply(to image: RGBImage, seed: UInt64) throws -> RGBImage {
        if image.width == 0 || image.height == 0 { return image }
        var rng = SeededGenerator(seed: seed)
        let p = parameter
        switch type {
        case .gaussian_noise: return GaussianNoise.apply(image, std: p[0], rng: &rng)
        case .glass_blur:
            return GlassBlur.apply(image, sigma: p[0], maxDelta: GlassBlur.count(p[1]),
                                   iterations: GlassBlur.count(p[2]), rng: &rng)
        case .motion_blur:
            return MotionBlur.apply(image, radius: p[0], sigma: p[1], angle: rng.uniform(-45, 45))
        case .defocus_blur: return DefocusBlur.apply(image, radius: p[0], aliasBlur: p[1])
        case .contrast: return Contrast.apply(image, factor: p[0])
        case .pixelate: return Pixelate.apply(image, factor: p[0])
        case .jpeg_compression: return try JPEGCompression.apply(image, quality: p[0])
        case .darkness: return Darkness.apply(image, amount: p[0])
        case .snow: return Snow.apply(image, parameters: p, rng: &rng)
        case .fog: return Fog.apply(image, amount: p[0], wibbleDecay: p[1], rng: &rng)
        }
    }
}
