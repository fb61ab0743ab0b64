import Imaging
@testable import MIQA
import XCTest

/// The deterministic arithmetic inside the random distortions, checked
/// against imagecorruptions with the randomness fixed: motion_blur at given
/// angles, glass_blur candidates 0/4/7 (Int() gives 0 iterations, so no
/// random moves), snow with a fixed pseudo-normal layer and angle, fog with a
/// fixed uniform stream for the plasma fractal.
final class RandomCoreDistortionTests: XCTestCase {
    /// Max |ours - reference| <= 1 on uint8 for every stored case; the
    /// per-type worst case is printed (motion_blur sums in the reference's
    /// order and is expected bit-exact).
    func testDeterministicCoresMatchImagecorruptions() throws {
        var worst: [String: (Int, Int)] = [:]
        for c in DistortionFixtures.index.cores {
            let clean = try DistortionFixtures.image(DistortionFixtures.index.images[c.image]!)
            let expected = try DistortionFixtures.image(c.expected)
            let p = DistortionType(rawValue: c.type)!.candidates[c.candidate]
            let ours: RGBImage
            switch c.type {
            case "motion_blur":
                ours = MotionBlur.apply(clean, radius: p[0], sigma: p[1], angle: c.angle)
            case "fog":
                var k = 0
                ours = Fog.apply(clean, amount: p[0], wibbleDecay: p[1], unit: {
                    defer { k += 1 }
                    return (Double(k) * 0.6180339887498949).truncatingRemainder(dividingBy: 1)
                })
            case "glass_blur":
                ours = try Distortion(type: .glass_blur, candidate: c.candidate).apply(to: clean, seed: 99)
            default:
                let z = (0..<(clean.width * clean.height)).map {
                    2 * (Double($0) * 0.6180339887498949).truncatingRemainder(dividingBy: 1) - 1
                }
                ours = Snow.apply(clean, parameters: p, standardNormal: z, angle: c.angle)
            }
            let d = DistortionFixtures.diff(ours, expected)
            XCTAssertLessThanOrEqual(d.max, 1, "\(c.type) \(c.image) candidate \(c.candidate): \(d.count) samples differ")
            let prev = worst[c.type] ?? (0, 0)
            worst[c.type] = (max(prev.0, d.max), prev.1 + d.count)
        }
        for (k, v) in worst.sorted(by: { $0.key < $1.key }) {
            print("core \(k): max diff \(v.0), differing samples over all cases \(v.1)")
        }
    }
}
