import Foundation
import Imaging

/// Timing of every distortion (and of severity selection, saliency and fusion) on one image:
/// `miqa bench --distortions IMAGE`. Speed is measured by this command, never asserted in tests.
public enum DistortionBenchmark {
    /// (what, seconds): each type's slowest of candidates 0, 6 and 11 (best of `repeats`), then the
    /// region-aware pieces.
    public static func run(on image: RGBImage, repeats: Int = 3) throws -> [(String, Double)] {
        func time(_ body: () throws -> Void) rethrows -> Double {
            var best = Double.infinity
            for _ in 0..<max(1, repeats) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                try body()
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            return best
        }
        var rows: [(String, Double)] = []
        for type in DistortionType.allCases {
            var worst = 0.0
            for c in [0, 6, 11] {
                let d = Distortion(type: type, candidate: c)
                worst = max(worst, try time { _ = try d.apply(to: image, seed: 1) })
            }
            rows.append((type.rawValue, worst))
        }
        rows.append(("severity selection (motion_blur, 12 candidates + PSNR)",
                     try time { _ = try SeverityLevels.select(reference: image, type: .motion_blur, seed: 1) }))
        var mask = SaliencyMask.spectralResidual(image)
        rows.append(("spectral-residual saliency mask", time { mask = SaliencyMask.spectralResidual(image) }))
        let blurred = try Distortion(type: .defocus_blur, candidate: 8).apply(to: image, seed: 1)
        rows.append(("region fusion", time { _ = RegionFusion.fuse(foreground: image, background: blurred, mask: mask) }))
        return rows
    }
}
