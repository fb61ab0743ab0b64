import XCTest
import Imaging
@testable import MIQA

/// The embedded default predictor: it loads from the bundle, is what the resolver picks without
/// a model name, and ranks heavy degradations of real photos below the clean photo.
final class DefaultModelTests: XCTestCase {
    private func photo(_ name: String) throws -> RGBImage {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Dataset/Fixtures/\(name)").standardized
        return try ImageDecoder.decode(contentsOf: url)
    }

    func testDefaultModelLoadsAndIsTheResolverFallback() throws {
        let predictor = try XCTUnwrap(try DefaultModel.load(), "the default model is missing from the bundle")
        XCTAssertEqual(predictor.card.model, "efficientnet_lite0")
        XCTAssertEqual(predictor.card.task, "cls")
        XCTAssertEqual(predictor.card.label, "composite")
        XCTAssertEqual(predictor.model.config.numOutputs, 1)
        let resolved = try ModelResolver.resolve(model: nil, task: "cls", label: "composite", weights: nil,
                                                 store: ModelStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("empty-miqa-home")))
        XCTAssertEqual(resolved.card.name, predictor.card.name)
        // det has its own default; ins needs a named model.
        let empty = ModelStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("empty-miqa-home"))
        let det = try ModelResolver.resolve(model: nil, task: "det", label: "composite", weights: nil, store: empty)
        XCTAssertEqual(det.card.name, "miqa_efficientnet_lite0_det_composite")
        XCTAssertEqual(det.card.task, "det")
        XCTAssertThrowsError(try ModelResolver.resolve(model: nil, task: "ins", label: "composite", weights: nil, store: empty))
    }

    /// The det default on the coffee photo (a cup YOLOv3-tiny finds), the same ranking test.
    func testDetDefaultRanksHeavyDegradationsBelowTheCleanPhoto() throws {
        let predictor = try XCTUnwrap(try DefaultModel.load(task: "det"), "the det default is missing from the bundle")
        XCTAssertEqual(predictor.card.task, "det")
        try assertRanksHeavyDegradationsBelowClean(predictor, "ref_coffee.jpg")
    }

    /// On a photo the machines recognise (the coffee cup: EfficientNet-Lite0 says espresso at 0.96).
    /// The labels are consistency labels, so a photo the machines find ambiguous scores low even
    /// when clean (the 160x128 astronaut crop does): that is the model's meaning, not a failure.
    func testHeavyDegradationsScoreBelowTheCleanPhoto() throws {
        try assertRanksHeavyDegradationsBelowClean(try XCTUnwrap(try DefaultModel.load()), "ref_coffee.jpg")
    }

    /// The strongest noise, defocus and darkness score below the clean photo, and the weakest
    /// noise above the strongest.
    private func assertRanksHeavyDegradationsBelowClean(_ predictor: Predictor, _ name: String, line: UInt = #line) throws {
        let clean = try photo(name)
        let degraded = try [DistortionType.gaussian_noise, .defocus_blur, .darkness].map {
            try Distortion(type: $0, candidate: 11).apply(to: clean, seed: 1)
        }
        let scores = predictor.scores([clean] + degraded)
        for (i, s) in scores.dropFirst().enumerated() {
            XCTAssertLessThan(s, scores[0], "\(name): strongest \(["noise", "defocus", "darkness"][i]) should score below clean (\(scores))", line: line)
        }
        let weak = try Distortion(type: .gaussian_noise, candidate: 0).apply(to: clean, seed: 1)
        XCTAssertGreaterThan(predictor.scores([weak])[0], scores[1], line: line)
    }
}
