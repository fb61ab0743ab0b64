import Foundation
import Imaging
@testable import MIQA
import XCTest

final class QualityMetricsDistortionTests: XCTestCase {
    /// PSNR within 1e-6 dB, SSIM within 1e-4 of skimage, MS-SSIM within 1e-4 of the numpy reference.
    func testMetricsMatchSkimageAndNumpy() throws {
        let clean = try DistortionFixtures.image(DistortionFixtures.index.images["big"]!)
        for m in DistortionFixtures.index.metrics {
            let d = try DistortionFixtures.image(m.distorted)
            let p = try QualityMetrics.psnr(clean, d), s = try QualityMetrics.ssim(clean, d)
            let ms = try QualityMetrics.msSSIM(clean, d)
            XCTAssertEqual(p, m.psnr, accuracy: 1e-6, m.distorted)
            XCTAssertEqual(s, m.ssim, accuracy: 1e-4, m.distorted)
            XCTAssertEqual(ms, m.msssim, accuracy: 1e-4, m.distorted)
            print("metrics \(m.distorted): psnr gap \(abs(p - m.psnr)), ssim gap \(abs(s - m.ssim)), ms-ssim gap \(abs(ms - m.msssim))")
        }
        XCTAssertEqual(try QualityMetrics.psnr(clean, clean), .infinity)
        XCTAssertEqual(try QualityMetrics.ssim(clean, clean), 1, accuracy: 1e-12)
        XCTAssertThrowsError(try QualityMetrics.msSSIM(RGBImage(width: 100, height: 100), RGBImage(width: 100, height: 100)))
    }
}
