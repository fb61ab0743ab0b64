import Foundation
import XCTest
import Imaging
@testable import MIQA

/// A user's ONNX classifier as a labelling machine (`dataset label --machine FILE.onnx`) against
/// Pillow's preprocessing and ONNX Runtime's answer on real photos
/// (tools/onnx/make_machine_fixture.py), and its errors.
final class ONNXClassifierMachineTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let model = fixtures.appendingPathComponent("onnx/mobilenet_v2_tiny.onnx")

    struct Expected: Decodable {
        let resize: Int
        let crop: Int
        let photos: [String]
        let probabilities: [[Double]]
    }

    static let imagenet = Preprocess(size: 73, crop: 64, mean: (0.485, 0.456, 0.406), std: (0.229, 0.224, 0.225))

    func testProbabilitiesEqualONNXRuntimeOnPhotos() throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("onnx/machine_expected.json")))
        let machine = try ONNXClassifierMachine(url: Self.model, preprocess: Preprocess(size: expected.resize, crop: expected.crop,
                                                mean: (0.485, 0.456, 0.406), std: (0.229, 0.224, 0.225)), outputsLogits: true)
        XCTAssertTrue(machine.name.hasPrefix("mobilenet_v2_tiny-"), machine.name)
        let photos = try expected.photos.map { try ImageDecoder.decode(contentsOf: Self.fixtures.appendingPathComponent($0)) }
        let got = try machine.probabilities(photos)
        XCTAssertEqual(got.count, photos.count)
        var worst = 0.0
        for (g, w) in zip(got, expected.probabilities) {
            XCTAssertEqual(g.count, w.count)
            worst = max(worst, zip(g, w).map { abs($0 - $1) }.max() ?? .infinity)
        }
        print("onnx classifier machine: worst probability difference \(worst) from ONNX Runtime")
        XCTAssertLessThanOrEqual(worst, 1e-5)
        // One image at a time gives the same answers as the batch.
        let single = try machine.probabilities([photos[1]])
        XCTAssertLessThanOrEqual(zip(single[0], got[1]).map { abs($0 - $1) }.max()!, 1e-6)
    }

    func testWrongInputSizeAndOutputKindAreErrorsNamingTheFile() throws {
        XCTAssertThrowsError(try ONNXClassifierMachine(url: Self.model, preprocess: Self.imagenet.withCrop(224), outputsLogits: true)) {
            XCTAssertTrue("\($0)".contains("mobilenet_v2_tiny.onnx") && "\($0)".contains("--machine-input-size 64"), "\($0)")
        }
        let asProbabilities = try ONNXClassifierMachine(url: Self.model, preprocess: Self.imagenet, outputsLogits: false)
        XCTAssertThrowsError(try asProbabilities.probabilities([RGBImage(width: 80, height: 70)])) {
            XCTAssertTrue("\($0)".contains("--machine-output logits"), "\($0)")
        }
    }

    func testLabelsADatabaseUnderItsFileName() throws {
        let (_, root) = try DatasetTestSupport.generatedCopy(self)
        let machine = try ONNXClassifierMachine(url: Self.model, preprocess: Self.imagenet, outputsLogits: true)
        let summary = try DatasetLabeller(root: root, machines: [machine], groundTruth: nil).run()
        XCTAssertEqual(summary.labelled, DatasetTestSupport.ids)
        XCTAssertEqual(try LabellingRecord.load(MIQDLayout(root: root))?.machines, [machine.name])
        let labels = try MIQDLabels.load(root: root, task: "cls", label: "consistency", references: nil)
        XCTAssertFalse(labels.isEmpty)
        XCTAssertTrue(labels.allSatisfy { (0...1.000001).contains($0.value) }, "\(labels.map(\.value))")
    }

    /// The command line's defaults: the crop is the side the graph declares (64), the resize
    /// torchvision's 256/224 of it (73), and the name carries the SHA-256 of the file (from the
    /// same bytes the graph was read from).
    func testDefaultsComeFromTheGraph() throws {
        let machine = try ONNXClassifierMachine(url: Self.model, inputSide: nil, resize: nil, mean: (0.485, 0.456, 0.406),
                                                std: (0.229, 0.224, 0.225), outputsLogits: true)
        XCTAssertEqual(machine.preprocess.crop, 64)
        XCTAssertEqual(machine.preprocess.size, 73)
        XCTAssertEqual(machine.name, "mobilenet_v2_tiny-" + (try SHA256.hex(fileAt: Self.model)).prefix(8))
        let explicit = try ONNXClassifierMachine(url: Self.model, inputSide: 64, resize: 80, mean: (0.5, 0.5, 0.5), std: (0.5, 0.5, 0.5),
                                                 outputsLogits: true)
        XCTAssertEqual(explicit.preprocess.size, 80)
    }
}
