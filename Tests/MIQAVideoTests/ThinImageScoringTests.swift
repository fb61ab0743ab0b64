import Foundation
import XCTest
import Imaging
import MIQA
@testable import MIQAVideo

/// Thin images at the `Predictor` level (the tiny ResNet-18 fixture's views, 288 -> 224):
/// scoring refuses a resize beyond the pixel limit with an error row, while `prepare` itself,
/// which cannot throw, stays exact and bounded by computing only the crop window.
final class ThinImageScoringTests: XCTestCase {
    func testScoringPipelineGivesAnErrorRowForAnOversizedResize() throws {
        let dir = try VideoFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let thin = dir.appendingPathComponent("thin.png")
        let good = dir.appendingPathComponent("good.png")
        try ImageEncoder.png(RGBImage(width: 100_000, height: 1)).write(to: thin)
        try ImageEncoder.png(RGBImage(width: 40, height: 30, pixels: (0..<3600).map { UInt8($0 % 256) })).write(to: good)
        var rows: [ImageScore] = []
        ScoringPipeline(predictor: try VideoFixtures.predictor(), batchSize: 2).run([thin.path, good.path]) { score, _ in rows.append(score) }
        XCTAssertEqual(rows.count, 2)
        XCTAssertNil(rows.first?.score)
        XCTAssertEqual(rows.first?.error,
                       "image is 100000x1: resizing its shorter side to 288 would make 28800000x288 pixels (limit 178956970 pixels)")
        XCTAssertNotNil(rows.last?.score, "the next image is still scored")
        XCTAssertNil(rows.last?.error)
    }

    func testPrepareUsesTheCropWindowExactly() throws {
        let predictor = try VideoFixtures.predictor()
        let view = try XCTUnwrap(predictor.views.first)
        let mean = (view.mean[0], view.mean[1], view.mean[2]), std = (view.std[0], view.std[1], view.std[2])
        func hwc(_ img: RGBImage) -> [Float] {
            var out = [Float](repeating: 0, count: img.width * img.height * 3)
            out.withUnsafeMutableBufferPointer { Preprocess.normalizedHWC(img, mean: mean, std: std, into: $0.baseAddress!) }
            return out
        }
        // Within the limit: the full resize path, as before.
        let small = RGBImage(width: 13, height: 1, pixels: (0..<39).map { UInt8($0 * 6) })
        XCTAssertNoThrow(try predictor.validate(small))
        let full = Resampling.centerCrop(try Resampling.resizeShorterSide(small, to: view.resize), width: view.crop, height: view.crop)
        XCTAssertEqual(predictor.prepare(small).first, hwc(full))
        // Beyond it: validate refuses, prepare gives the window of the resize nobody could allocate.
        let strip = RGBImage(width: 1_000_000, height: 1, pixels: (0..<3_000_000).map { UInt8($0 / 3 % 256) })
        XCTAssertThrowsError(try predictor.validate(strip))
        let window = Resampling.resizeShorterSideAndCenterCrop(strip, to: view.resize, cropWidth: view.crop, cropHeight: view.crop)
        XCTAssertEqual(predictor.prepare(strip).first, hwc(window))
    }
}
