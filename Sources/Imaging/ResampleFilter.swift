/// The interpolation kernels of Pillow's `Image.resize`, with their support
/// (half-width in source pixels at scale 1).
public enum ResampleFilter: Sendable {
    /// Pillow `Image.BILINEAR`: triangle kernel, support 1.
    case bilinear
    /// Pillow `Image.BICUBIC`: Keys cubic with a = -0.5, support 2.
    case bicubic

    var support: Double {
        switch self {
        case .bilinear: return 1.0
        case .bicubic: return 2.0
        }
    }

    /// Kernel weight at distance `x`, evaluated in Double as Pillow does.
    @inline(__always) func weight(_ x: Double) -> Double {
        let x = x < 0 ? -x : x
        switch self {
        case .bilinear:
            return x < 1.0 ? 1.0 - x : 0.0
        case .bicubic:
            let a = -0.5
            if x < 1.0 { return ((a + 2.0) * x - (a + 3.0)) * x * x + 1 }
            if x < 2.0 { return (((x - 5) * x + 8) * x - 4) * a }
            return 0.0
        }
    }
}
