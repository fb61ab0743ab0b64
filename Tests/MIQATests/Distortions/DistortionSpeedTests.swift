import Foundation
import Imaging
@testable import MIQA
import XCTest

/// Prints the time of every distortion's strongest candidate on a 500x375
/// image. Runs only with MIQA_DISTORTION_BENCH=1 (speed is measured, not
/// asserted): `MIQA_DISTORTION_BENCH=1 swift test -c release --filter DistortionSpeed`.
final class DistortionSpeedTests: XCTestCase {
    func testSpeedReport() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["MIQA_DISTORTION_BENCH"] == "1", "benchmark only on request")
        let small = try DistortionFixtures.image(DistortionFixtures.index.images["big"]!)
        let img = Resampling.resizeBilinear(small, width: 500, height: 375)
        for type in DistortionType.allCases {
            var worst = 0.0
            for c in [0, 6, 11] {
                let d = Distortion(type: type, candidate: c)
                let t0 = Date()
                _ = try d.apply(to: img, seed: 1)
                worst = max(worst, Date().timeIntervalSince(t0))
            }
            print("speed \(type): \(String(format: "%.3f", worst)) s (slowest of candidates 0, 6, 11)")
        }
        var t0 = Date()
        _ = try SeverityLevels.select(reference: img, type: .motion_blur, seed: 1)
        print("speed SeverityLevels.select(motion_blur): \(String(format: "%.3f", Date().timeIntervalSince(t0))) s")
        t0 = Date()
        let mask = SaliencyMask.spectralResidual(img)
        print("speed SaliencyMask.spectralResidual: \(String(format: "%.3f", Date().timeIntervalSince(t0))) s")
        let blurred = try Distortion(type: .defocus_blur, candidate: 8).apply(to: img, seed: 1)
        t0 = Date()
        _ = RegionFusion.fuse(foreground: img, background: blurred, mask: mask)
        print("speed RegionFusion.fuse: \(String(format: "%.3f", Date().timeIntervalSince(t0))) s")
    }
}
