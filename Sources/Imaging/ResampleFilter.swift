import Foundation

/// The interpolation kernels of Pillow's `Image.resize`, with their support
/// (half-width in source pixels at scale 1).
public enum ResampleFilter: Sendable {
    /// Pillow `Image.BILINEAR`: triangle kernel, support 1.
    case bilinear
    /// Pillow `Image.BICUBIC`: Keys cubic with a = -0.5, support 2.
    case bicubic
    /// Pillow `Image.LANCZOS`: sinc windowed by sinc(x/3), support 3 (rembg resizes with it).
    case lanczos

    var support: Double {
        switch self {
        case .bilinear: return 1.0
        case .bicubic: return 2.0
        case .lanczos: return 3.0
        }
    }

    /// Kernel weight at distance `x`, evaluated in Double as Pillow does.
    @inline(__always) func weight(_ x: Double) -> Double {
        // Pillow's window is [-3, 3): asymmetric at its ends, so it is taken before folding x.
        if case .lanczos = self { return -3.0 <= x && x < 3.0 ? Self.sinc(x) * Self.sinc(x / 3) : 0.0 }
        let x = x < 0 ? -x : x
        switch self {
        case .bilinear:
            return x < 1.0 ? 1.0 - x : 0.0
        case .bicubic:
            let a = -0.5
            if x < 1.0 { return ((a + 2.0) * x - (a + 3.0)) * x * x + 1 }
            if x < 2.0 { return (((x - 5) * x + 8) * x - 4) * a }
            return 0.0
        case .lanczos:
            return 0.0  // handled above
        }
    }

    /// sin(pi x) / (pi x), 1 at 0, in Double as Pillow computes it.
    @inline(__always) static func sinc(_ x: Double) -> Double {
        if x == 0.0 { return 1.0 }
        let px = x * Double.pi
        return sin(px) / px
    }
}
