import Imaging
@testable import MIQA
import XCTest

/// gaussian_noise, glass_blur, motion_blur, snow, fog: our random streams are
/// not NumPy's, so these are compared statistically.
final class RandomDistortionTests: XCTestCase {
    static let randomTypes: [DistortionType] = [.gaussian_noise, .glass_blur, .motion_blur, .snow, .fog]

    /// For every candidate (all 12, so weak, middle and strong are covered) on
    /// both fixture images: the mean PSNR over our seeds 1...10 is within
    /// max(3 reference standard deviations, 0.5 dB) of the reference's mean
    /// PSNR over NumPy seeds 1...10. The gaps are printed.
    func testPSNRMatchesReferenceStatistics() throws {
        let images = try DistortionFixtures.index.images.mapValues { try DistortionFixtures.image($0) }
        var report: [String: Double] = [:]
        for s in DistortionFixtures.index.random {
            let type = DistortionType(rawValue: s.type)!
            let clean = images[s.image]!
            var sum = 0.0
            for seed in 1...10 {
                let out = try Distortion(type: type, candidate: s.candidate).apply(to: clean, seed: UInt64(seed))
                sum += try QualityMetrics.psnr(clean, out)
            }
            let gap = abs(sum / 10 - s.psnrMean)
            let tol = max(3 * s.psnrStd, 0.5)
            XCTAssertLessThanOrEqual(gap, tol, "\(s.type) \(s.image) candidate \(s.candidate): ours \(sum / 10) vs \(s.psnrMean)")
            report[s.type] = max(report[s.type] ?? 0, gap)
            if gap > 0.3 {
                print("random \(s.type) \(s.image) c\(s.candidate): ours \(sum / 10) ref \(s.psnrMean) +- \(s.psnrStd)")
            }
        }
        for (k, v) in report.sorted(by: { $0.key < $1.key }) { print("random \(k): largest mean-PSNR gap \(v) dB") }
    }

    func testSameSeedSameOutputDifferentSeedDifferentOutput() throws {
        let clean = try DistortionFixtures.image(DistortionFixtures.index.images["main"]!)
        for type in Self.randomTypes {
            let d = Distortion(type: type, candidate: 11)
            let a = try d.apply(to: clean, seed: 42), b = try d.apply(to: clean, seed: 42)
            let c = try d.apply(to: clean, seed: 43)
            XCTAssertEqual(a, b, "\(type) not deterministic")
            XCTAssertNotEqual(a, c, "\(type) ignores the seed")
        }
        for type in DistortionType.allCases where !type.isRandom {
            let d = Distortion(type: type, candidate: 6)
            XCTAssertEqual(try d.apply(to: clean, seed: 1), try d.apply(to: clean, seed: 2), "\(type)")
        }
    }

    /// The raw MIQD floats make the reference raise TypeError: evidence that
    /// some integer rounding (ours: int() / 2*ceil(r)+1) was needed to run it.
    func testReferenceRejectsRawFloatCounts() {
        for e in DistortionFixtures.index.evidence { XCTAssertTrue(e.contains("TypeError"), e) }
        XCTAssertEqual(GlassBlur.count(0.9), 0)
        XCTAssertEqual(GlassBlur.count(2.5), 2)
        XCTAssertEqual(MotionBlur.width(radius: 1.4), 5)
        XCTAssertEqual(MotionBlur.width(radius: 15), 31)
    }

    func testParameterValidation() {
        XCTAssertThrowsError(try Distortion(type: .snow, parameter: [1, 2]))
        XCTAssertNoThrow(try Distortion(type: .fog, parameter: [0.5, 2]))
    }
}
