import Foundation
import Imaging
@testable import MIQA
import XCTest

final class SeverityAndRegionDistortionTests: XCTestCase {
    /// 5 levels from ranks 1, 5, 8, 10, 12, PSNR non-increasing (strictly
    /// decreasing except where two candidates give the same image) for every type.
    func testSeverityLevelsGiveFiveLevelsWithDecreasingPSNR() throws {
        let clean = try DistortionFixtures.image(DistortionFixtures.index.images["main"]!)
        for type in DistortionType.allCases {
            let levels = try SeverityLevels.select(reference: clean, type: type, seed: SeverityLevels.seed(forImageIndex: 0))
            XCTAssertEqual(levels.map(\.level), [1, 2, 3, 4, 5], "\(type)")
            XCTAssertEqual(Set(levels.map(\.candidate)).count, 5, "\(type)")
            for i in 1..<5 {
                XCTAssertLessThan(levels[i].psnr, levels[i - 1].psnr, "\(type) level \(i + 1)")
            }
            print("levels \(type): " + levels.map { "L\($0.level)=c\($0.candidate) \(String(format: "%.2f", $0.psnr))dB" }.joined(separator: " "))
        }
    }

    func testRegionConfigurations() {
        let all = RegionConfiguration.all
        XCTAssertEqual(all.count, 25)
        XCTAssertEqual(Set(all).count, 25)
        XCTAssertEqual(all.filter { $0.kind == .uniform }.count, 5)
        XCTAssertEqual(all.filter { $0.kind == .foregroundStronger }.count, 10)
        XCTAssertEqual(all.filter { $0.kind == .backgroundStronger }.count, 10)
        XCTAssertEqual(all[0].suffix, "_1")
        XCTAssertEqual(all[5].suffix, "_fg_stronger_fg2_bg1")
        XCTAssertEqual(all[14].suffix, "_fg_stronger_fg5_bg4")
        XCTAssertEqual(all[15].suffix, "_bg_stronger_fg1_bg2")
        XCTAssertEqual(all[24].fileName(referenceID: "ILSVRC2012_val_00000001", type: .snow),
                       "ILSVRC2012_val_00000001_snow_bg_stronger_fg4_bg5.png")
    }

    /// Fusion equals the numpy + scipy implementation of the documented rule within 1 level,
    /// and the feather weights agree to 1e-9.
    func testFusionMatchesNumpyReimplementation() throws {
        let f = DistortionFixtures.index.fusion
        let fg = try DistortionFixtures.image(f.foreground), bg = try DistortionFixtures.image(f.background)
        let maskImg = try DistortionFixtures.image(f.mask)
        let mask = BinaryMask(width: maskImg.width, height: maskImg.height,
                              values: stride(from: 0, to: maskImg.pixels.count, by: 3).map { maskImg.pixels[$0] })
        let m = RegionFusion.featherWeights(mask)
        var k = 0, worstWeight = 0.0
        for y in stride(from: 0, to: mask.height, by: f.weightsStride) {
            for x in stride(from: 0, to: mask.width, by: f.weightsStride) {
                worstWeight = max(worstWeight, abs(m[y * mask.width + x] - f.weights[k]))
                k += 1
            }
        }
        XCTAssertLessThanOrEqual(worstWeight, 1e-9)
        let fused = RegionFusion.fuse(foreground: fg, background: bg, mask: mask)
        let d = DistortionFixtures.diff(fused, try DistortionFixtures.image(f.expected))
        XCTAssertLessThanOrEqual(d.max, 1)
        print("fusion: max weight diff \(worstWeight), max pixel diff \(d.max) (\(d.count) samples)")
    }

    func testSaliencyMaskOfAPhotoIsNonTrivial() throws {
        let img = try DistortionFixtures.image(DistortionFixtures.index.saliency["image"]!)
        let mask = SaliencyMask.spectralResidual(img)
        print("saliency coverage \(mask.coverage)")
        XCTAssertGreaterThanOrEqual(mask.coverage, 0.05)
        XCTAssertLessThanOrEqual(mask.coverage, 0.70)
    }

    func testSmallDFTRoundTrip() {
        var re = (0..<(6 * 5)).map { Double($0 % 7) - 2.5 }, im = [Double](repeating: 0, count: 30)
        let orig = re
        SmallDFT.transform(re: &re, im: &im, width: 6, height: 5, inverse: false)
        XCTAssertEqual(re[0], orig.reduce(0, +), accuracy: 1e-9)
        SmallDFT.transform(re: &re, im: &im, width: 6, height: 5, inverse: true)
        for i in 0..<30 { XCTAssertEqual(re[i], orig[i], accuracy: 1e-9); XCTAssertEqual(im[i], 0, accuracy: 1e-9) }
    }
}
